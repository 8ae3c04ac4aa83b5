import {
  insideTestNamespace,
  ipv6UnavailableOnLoopback,
  listenMdnsV6Group,
  routeMdnsToLoopback,
} from '@purertc/test/netns';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DnsType,
  type IceCandidate,
  NodeIceTransport,
  parseDnsMessage,
  serializeCandidate,
} from '../src/index.js';

/**
 * Real multicast DNS between two Node transports. Multicast is only ever sent inside the private
 * network namespace `scripts/in-netns.ts` creates (only `lo` exists there), where multicast is
 * switched on for `lo` and 224.0.0.0/4 (and ff02::fb) routed to it: nothing can leave this machine.
 */
const inside = insideTestNamespace;
const reason = inside
  ? ''
  : 'mDNS multicast test skipped: runs only inside the private network namespace (PURERTC_NETNS=inside, see scripts/in-netns.ts)';
if (!inside) console.log(reason);

const noIpv6 = inside ? ipv6UnavailableOnLoopback() : '';
if (noIpv6) console.log(`mDNS IPv6 multicast test skipped: ${noIpv6}`);

function waitFor(what: string, done: () => boolean, subscribe: (check: () => void) => void, ms: number) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    const check = () => {
      if (done()) {
        clearTimeout(timer);
        resolve();
      }
    };
    subscribe(check);
    check();
  });
}

/**
 * `a` publishes its one host candidate as `<uuid>.local`; `b` gets only that name, as a browser
 * would signal it (so no check can flow before the name resolves), and the two connect. `a` gets
 * no candidates: it learns `b` as peer-reflexive from `b`'s checks.
 */
async function connectByPublishedName(a: NodeIceTransport, b: NodeIceTransport): Promise<IceCandidate> {
  const signalled: IceCandidate[] = [];
  a.on((e) => {
    if (e.type === 'local-candidate') signalled.push(e.candidate);
  });
  await Promise.all([a.gather(), b.gather()]);
  expect(signalled).toHaveLength(1);
  const published = signalled[0]!;
  expect(published.address).toMatch(/^[0-9a-f-]{36}\.local$/);
  a.setRemoteCredentials(b.localCredentials);
  b.setRemoteCredentials(a.localCredentials);
  expect(b.addRemoteCandidate(serializeCandidate(published))).toBe(true);
  const up = (t: NodeIceTransport) => t.state === 'connected' || t.state === 'completed';
  await waitFor(
    'connection',
    () => up(a) && up(b),
    (check) => {
      a.on(check);
      b.on(check);
    },
    10_000,
  );
  return published;
}

describe.skipIf(!inside)('mDNS over real multicast on loopback (private network namespace)', () => {
  beforeAll(() => {
    routeMdnsToLoopback(4);
  });
  // The route stays: the namespace ends with the run, and packages/peer's mDNS test, which may
  // run at the same time in the same namespace, routes the group the same way and needs it.

  it('one agent publishes its host candidate as <uuid>.local, the other resolves it and they connect', async () => {
    const a = new NodeIceTransport({ controlling: true, addresses: ['127.0.0.1'], mdnsHostnames: true });
    const b = new NodeIceTransport({ controlling: false, addresses: ['127.0.0.1'] });
    try {
      const published = await connectByPublishedName(a, b);
      // The name resolved to a's real host address through the responder and resolver sockets.
      expect(b.agent.remoteCandidateList.map((c) => [c.type, c.address])).toEqual([['host', '127.0.0.1']]);
      expect(b.selectedPair?.remote.address).toBe('127.0.0.1');
      expect(b.selectedPair?.remote.type).toBe('host');
      expect(a.selectedPair?.remote.type).toBe('prflx');
      expect(b.selectedPair?.remote.port).toBe(published.port);
      const got = new Promise<Buffer>((resolve) =>
        a.on((e) => {
          if (e.type === 'data') resolve(e.data);
        }),
      );
      b.send(Buffer.from([0x80, 7, 7]));
      expect(await got).toEqual(Buffer.from([0x80, 7, 7]));
    } finally {
      a.close();
      b.close();
    }
  });
});

describe.skipIf(!inside || noIpv6 !== '')(
  'mDNS over real IPv6 multicast (ff02::fb) on loopback (private network namespace)',
  () => {
    beforeAll(() => {
      routeMdnsToLoopback(6);
    });
    // The route stays, like 224.0.0.0/4 above: packages/peer's IPv6 lookup test may run at the
    // same time in the same namespace and needs it; the namespace ends with the run.

    it('an IPv6 host candidate published as <uuid>.local resolves through an AAAA answer on ff02::fb', async () => {
      const group = await listenMdnsV6Group();
      // With IPv4 off neither transport opens an IPv4 mDNS socket: only ff02::fb can carry the name.
      const a = new NodeIceTransport({
        controlling: true,
        ipv4: false,
        addresses: ['::1'],
        mdnsHostnames: true,
      });
      const b = new NodeIceTransport({ controlling: false, ipv4: false, addresses: ['::1'] });
      try {
        const published = await connectByPublishedName(a, b);
        expect(b.agent.remoteCandidateList.map((c) => [c.type, c.address])).toEqual([['host', '::1']]);
        expect(b.selectedPair?.remote.address).toBe('::1');
        expect(b.selectedPair?.remote.port).toBe(published.port);
        // What crossed the IPv6 group: b's question and a's AAAA answer carrying ::1.
        const messages = group.seen.map((m) => parseDnsMessage(m));
        const name = published.address.toLowerCase();
        expect(
          messages.some((m) => !m.isResponse && m.questions.some((q) => q.name.toLowerCase() === name)),
        ).toBe(true);
        const answers = messages.filter((m) => m.isResponse).flatMap((m) => m.answers);
        expect(
          answers.filter((r) => r.name.toLowerCase() === name).map((r) => [r.type, r.address]),
        ).toContainEqual([DnsType.AAAA, '::1']);
        const got = new Promise<Buffer>((resolve) =>
          a.on((e) => {
            if (e.type === 'data') resolve(e.data);
          }),
        );
        b.send(Buffer.from([0x80, 6, 6]));
        expect(await got).toEqual(Buffer.from([0x80, 6, 6]));
      } finally {
        a.close();
        b.close();
        group.socket.close();
      }
    });
  },
);
