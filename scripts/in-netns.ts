/**
 * Runs a command inside a fresh network namespace that has only a loopback interface, when this
 * machine allows it (root, or unprivileged user namespaces): `tsx scripts/in-netns.ts vitest run`.
 *
 * Why: every test of ours talks over 127.0.0.1/::1 only, and inside the namespace nothing else
 * exists, so no test can reach the outside by mistake, and Chromium's background requests (which
 * it makes even with --disable-background-networking) go nowhere. Where namespaces are not
 * available the command runs as is, with a note.
 */
import { spawn, spawnSync } from 'node:child_process';

const argv = process.argv.slice(2);
if (argv.length === 0) {
  console.error('usage: tsx scripts/in-netns.ts <command> [args...]');
  process.exit(2);
}

function namespaceAvailable(): boolean {
  if (process.env.PURERTC_NETNS === 'off' || process.env.PURERTC_NETNS === 'inside') return false;
  const probe = spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' });
  return probe.status === 0;
}

const inside = namespaceAvailable();
if (!inside && process.env.PURERTC_NETNS !== 'inside') {
  console.warn(
    'note: running without a private network namespace (unshare -n unavailable or PURERTC_NETNS=off)',
  );
}
const [command, args] = inside
  ? ['unshare', ['-n', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv]]
  : [argv[0]!, argv.slice(1)];
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, PURERTC_NETNS: inside ? 'inside' : (process.env.PURERTC_NETNS ?? 'off') },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
