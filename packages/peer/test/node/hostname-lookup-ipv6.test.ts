import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { DnsType, parseDnsMessage } from '@purertc/ice';
import { beforeAll, describe, expect, it } from 'vitest';
import { HostnameLookup } from '../../src/node/hostname-lookup.js';
import { within } from '../helpers/peers.js';

/**
 * Real multicast DNS over ff02::fb between two lookups. Multicast is only ever sent inside the
 * private network namespace `scripts/in-netns.ts` creates (only `lo` exists there): nothing can
 * leave this machine.
 */
const inside = process.env.PURERTC_NETNS === 'inside';
if (!inside) console.log('peer mDNS IPv6 test skipped: runs only inside the private network namespace');

function ipv6Unavailable(): string {
  try {
    const disabled = readFileSync('/proc/sys/net/ipv6/conf/lo/disable_ipv6', 'utf8').trim();
    return disabled === '0' ? '' : 'IPv6 is disabled on lo (net.ipv6.conf.lo.disable_ipv6=1)';
  } catch {
    return 'this kernel has no IPv6 (/proc/sys/net/ipv6/conf/lo missing)';
  }
}
const noIpv6 = inside ? ipv6Unavailable() : '';
if (noIpv6) console.log(`peer mDNS IPv6 test skipped: ${noIpv6}`);

function onlyLoopback(): boolean {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '');
  return links.length === 1 && /^\d+: lo:/.test(links[0]!);
}

/**
 * Linux turns a plain route for ff02::/16 through lo into a reject route; a `local` route hands
 * the group's datagrams back to the sockets that joined it on lo (see packages/ice's mDNS test).
 * `replace` is idempotent, and the route is left in place: the ice package's test may run in the
 * same namespace at the same time and sets (and removes) the same route.
 */
function routeV6GroupToLoopback(): void {
  execFileSync('ip', ['link', 'set', 'lo', 'multicast', 'on']);
  execFileSync('ip', ['-6', 'route', 'replace', 'local', 'ff02::fb', 'dev', 'lo', 'table', 'local']);
}

/** Joins ff02::fb on lo beside the lookups (port 5353 is shared) and keeps every datagram. */
function listenV6Group(): Promise<{ socket: Socket; seen: Buffer[] }> {
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

describe.skipIf(!inside || noIpv6 !== '')('HostnameLookup over IPv6 multicast (ff02::fb) on loopback', () => {
  beforeAll(() => {
    // Refuse to touch anything unless this really is the namespace with nothing but lo.
    if (!onlyLoopback()) throw new Error('PURERTC_NETNS=inside but interfaces other than lo exist');
    routeV6GroupToLoopback();
  });

  it('a name published with IPv4 off resolves to its IPv6 address through an AAAA answer on ff02::fb', async () => {
    // Another test file may remove the shared route when it finishes: set it again right here.
    routeV6GroupToLoopback();
    const group = await listenV6Group();
    // With IPv4 off neither side opens a 224.0.0.251 socket: only ff02::fb can carry the name.
    const responder = new HostnameLookup({ ipv4: false });
    const asker = new HostnameLookup({ ipv4: false });
    const name = '0f4c8a52-3c1e-4d8b-9a7e-2b6d5e1f0a93.local';
    try {
      responder.publish(name, '::1');
      const addresses = await within(asker.resolve(name), 10_000, 'the name to resolve');
      expect(addresses).toEqual(['::1']);
      // What crossed the IPv6 group: the question, and the responder's AAAA answer carrying ::1.
      // The listener's socket may be served after the asker's: wait (bounded) for the answer there.
      const answered = () =>
        group.seen.some((m) => {
          const msg = parseDnsMessage(m);
          return msg.isResponse && msg.answers.some((r) => r.name.toLowerCase() === name);
        });
      await within(
        new Promise<void>((resolve) => {
          const check = () => {
            if (!answered()) return;
            group.socket.off('message', check);
            resolve();
          };
          group.socket.on('message', check);
          check();
        }),
        5000,
        'the answer on the group',
      );
      const messages = group.seen.map((m) => parseDnsMessage(m));
      expect(
        messages.some((m) => !m.isResponse && m.questions.some((q) => q.name.toLowerCase() === name)),
      ).toBe(true);
      const answers = messages.filter((m) => m.isResponse).flatMap((m) => m.answers);
      expect(
        answers.filter((r) => r.name.toLowerCase() === name).map((r) => [r.type, r.address]),
      ).toContainEqual([DnsType.AAAA, '::1']);
    } finally {
      responder.close();
      asker.close();
      group.socket.close();
    }
  }, 15_000);
});
