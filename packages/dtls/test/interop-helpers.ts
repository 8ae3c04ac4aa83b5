import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DtlsCertificate } from '../src/index.js';

export const hasOpenSsl = (): boolean => {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 && /OpenSSL 3/.test(r.stdout);
};

/** An OpenSSL s_server/s_client child with its output collected, so tests can wait for lines. */
export class OpenSslProcess {
  private out = '';
  private readonly waiters: Array<() => void> = [];
  readonly proc: ChildProcessWithoutNullStreams;
  exited = false;

  constructor(args: string[]) {
    this.proc = spawn('openssl', args, { stdio: 'pipe' });
    const onData = (d: Buffer) => {
      this.out += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    };
    this.proc.stdout.on('data', onData);
    this.proc.stderr.on('data', onData);
    this.proc.on('exit', () => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  get output(): string {
    return this.out;
  }

  /** Resolves with the first match of `re` in the output, or rejects after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs = 8000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${re}; output:\n${this.out}`)),
        timeoutMs,
      );
      const check = () => {
        const m = re.exec(this.out);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (this.exited) {
          clearTimeout(timer);
          reject(new Error(`openssl exited before ${re}; output:\n${this.out}`));
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  write(line: string): void {
    this.proc.stdin.write(line);
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

/** Writes PEM files for OpenSSL into a fresh temp dir; `dispose` removes it. */
export function tempPem(certs: Record<string, DtlsCertificate>): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-dtls-'));
  for (const [name, c] of Object.entries(certs)) {
    const pem = c.toPem();
    writeFileSync(join(dir, `${name}.crt`), pem.cert);
    writeFileSync(join(dir, `${name}.key`), pem.key, { mode: 0o600 });
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves when `predicate` holds for an event from `next`, rejects after a timeout. */
export function waitUntil(check: () => boolean, timeoutMs = 8000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const poll = () => {
      if (check()) return resolve();
      if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs)
        return reject(new Error(`timed out: ${what}`));
      setTimeout(poll, 5);
    };
    poll();
  });
}
