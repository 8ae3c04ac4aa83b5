/**
 * For tests that send real multicast: they run only inside the private network namespace that
 * `scripts/in-netns.ts` creates (only `lo` exists there), so nothing they send can leave the
 * machine. These helpers refuse to touch routes anywhere else.
 */
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';

/** Whether this process runs inside the test namespace (`PURERTC_NETNS=inside`). */
export const insideTestNamespace = process.env.PURERTC_NETNS === 'inside';

/** Why IPv6 multicast on `lo` cannot work here, or '' when `lo` has IPv6. */
export function ipv6UnavailableOnLoopback(): string {
  try {
    const disabled = readFileSync('/proc/sys/net/ipv6/conf/lo/disable_ipv6', 'utf8').trim();
    return disabled === '0' ? '' : 'IPv6 is disabled on lo (net.ipv6.conf.lo.disable_ipv6=1)';
  } catch {
    return 'this kernel has no IPv6 (/proc/sys/net/ipv6/conf/lo missing)';
  }
}

function onlyLoopback(): boolean {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '');
  return links.length === 1 && /^\d+: lo:/.test(links[0]!);
}

/**
 * Switches multicast on for `lo` and routes the mDNS group of `family` to it. Idempotent, and left
 * in place (the namespace ends with the run; test files running beside each other share it).
 * IPv4: 224.0.0.0/4 via lo. IPv6: Linux turns any route through lo that is not local, anycast or
 * ::1 into a reject route (sends succeed and die silently, counted in Ip6OutNoRoutes), so ff02::fb
 * gets a `local` route, which hands the group's datagrams to the sockets that joined it on lo.
 * Throws outside the namespace, or if any interface besides lo exists.
 */
export function routeMdnsToLoopback(family: 4 | 6): void {
  if (!insideTestNamespace || !onlyLoopback())
    throw new Error('multicast routes are only set inside the test namespace, where only lo exists');
  execFileSync('ip', ['link', 'set', 'lo', 'multicast', 'on']);
  if (family === 4) execFileSync('ip', ['route', 'replace', '224.0.0.0/4', 'dev', 'lo']);
  else execFileSync('ip', ['-6', 'route', 'replace', 'local', 'ff02::fb', 'dev', 'lo', 'table', 'local']);
}

/** Joins ff02::fb on lo beside the code under test (port 5353 is shared) and keeps every datagram. */
export function listenMdnsV6Group(): Promise<{ socket: Socket; seen: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: 'udp6', reuseAddr: true, ipv6Only: true });
    const seen: Buffer[] = [];
    socket.once('error', reject);
    socket.on('message', (msg) => seen.push(msg));
    socket.bind(5353, '::', () => {
      socket.addMembership('ff02::fb', '::%lo');
      resolve({ socket, seen });
    });
  });
}
