import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
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
const inside = process.env.PURERTC_NETNS === 'inside';
const reason = inside
  ? ''
  : 'mDNS multicast test skipped: runs only inside the private network namespace (PURERTC_NETNS=inside, see scripts/in-netns.ts)';
if (!inside) console.log(reason);

/** Why the IPv6 group cannot work here, or '' when lo has IPv6. */
function ipv6Unavailable(): string {
  try {
    const disabled = readFileSync('/proc/sys/net/ipv6/conf/lo/disable_ipv6', 'utf8').trim();
    return disabled === '0' ? '' : 'IPv6 is disabled on lo (net.ipv6.conf.lo.disable_ipv6=1)';
  } catch {
    return 'this kernel has no IPv6 (/proc/sys/net/ipv6/conf/lo missing)';
  }
}
const noIpv6 = inside ? ipv6Unavailable() : '';
if (noIpv6) console.log(`mDNS IPv6 multicast test skipped: ${noIpv6}`);

function onlyLoopback(): boolean {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '');
  return links.length === 1 && /^\d+: lo:/.test(links[0]!);
}

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
    // Refuse to touch anything unless this really is the namespace with nothing but lo.
    if (!onlyLoopback()) throw new Error('PURERTC_NETNS=inside but interfaces other than lo exist');
    execFileSync('ip', ['link', 'set', 'lo', 'multicast', 'on']);
    execFileSync('ip', ['route', 'replace', '224.0.0.0/4', 'dev', 'lo']);
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

/** Joins ff02::fb on lo beside the transports (port 5353 is shared) and keeps every datagram. */
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

describe.skipIf(!inside || noIpv6 !== '')(
  'mDNS over real IPv6 multicast (ff02::fb) on loopback (private network namespace)',
  () => {
    beforeAll(() => {
      if (!onlyLoopback()) throw new Error('PURERTC_NETNS=inside but interfaces other than lo exist');
      execFileSync('ip', ['link', 'set', 'lo', 'multicast', 'on']);
      // A plain or `multicast` route for ff02::/16 via lo is accepted by `ip` but Linux turns
      // every route through lo that is not local, anycast or ::1 into a reject route: sends then
      // succeed for the caller and die silently (Ip6OutNoRoutes counts them, nothing arrives).
      // A `local` route delivers the group's datagrams back up the stack to the sockets that
      // joined it on lo, which is what a link with one host needs.
      execFileSync('ip', ['-6', 'route', 'replace', 'local', 'ff02::fb', 'dev', 'lo', 'table', 'local']);
    });
    // The route stays, like 224.0.0.0/4 above: packages/peer's IPv6 lookup test may run at the
    // same time in the same namespace and needs it; the namespace ends with the run.

    it('an IPv6 host candidate published as <uuid>.local resolves through an AAAA answer on ff02::fb', async () => {
      const group = await listenV6Group();
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
