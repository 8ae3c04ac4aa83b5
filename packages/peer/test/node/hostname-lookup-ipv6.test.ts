import { DnsType, parseDnsMessage } from '@purertc/ice';
import {
  insideTestNamespace,
  ipv6UnavailableOnLoopback,
  listenMdnsV6Group,
  routeMdnsToLoopback,
} from '@purertc/test/netns';
import { beforeAll, describe, expect, it } from 'vitest';
import { HostnameLookup } from '../../src/node/hostname-lookup.js';
import { within } from '../helpers/peers.js';

/**
 * Real multicast DNS over ff02::fb between two lookups. Multicast is only ever sent inside the
 * private network namespace `scripts/in-netns.ts` creates (only `lo` exists there): nothing can
 * leave this machine.
 */
const inside = insideTestNamespace;
if (!inside) console.log('peer mDNS IPv6 test skipped: runs only inside the private network namespace');

const noIpv6 = inside ? ipv6UnavailableOnLoopback() : '';
if (noIpv6) console.log(`peer mDNS IPv6 test skipped: ${noIpv6}`);

describe.skipIf(!inside || noIpv6 !== '')('HostnameLookup over IPv6 multicast (ff02::fb) on loopback', () => {
  beforeAll(() => {
    routeMdnsToLoopback(6);
  });

  it('a name published with IPv4 off resolves to its IPv6 address through an AAAA answer on ff02::fb', async () => {
    // Idempotent; kept in case another file's setup ran differently.
    routeMdnsToLoopback(6);
    const group = await listenMdnsV6Group();
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
