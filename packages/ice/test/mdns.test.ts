import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DnsParseError,
  DnsType,
  encodeDnsAddressResponse,
  encodeDnsQuery,
  IceAgent,
  isMdnsName,
  MdnsResolver,
  NodeIceTransport,
  parseDnsMessage,
} from '../src/index.js';

const NAME = '1f4712db-ea17-4bcf-a596-105139dfd8bf.local';

describe('DNS message codec', () => {
  it('round-trips queries and address responses', () => {
    const q = parseDnsMessage(encodeDnsQuery([{ name: NAME, type: DnsType.AAAA, unicastResponse: true }]));
    expect(q.isResponse).toBe(false);
    expect(q.questions).toEqual([{ name: NAME, type: DnsType.AAAA, unicastResponse: true }]);
    const r = parseDnsMessage(
      encodeDnsAddressResponse([
        { name: NAME, address: '192.0.2.7', ttl: 120 },
        { name: NAME, address: '2001:db8::7', ttl: 120 },
      ]),
    );
    expect(r.isResponse).toBe(true);
    expect(r.answers.map((a) => [a.name, a.type, a.address, a.cacheFlush, a.ttl])).toEqual([
      [NAME, DnsType.A, '192.0.2.7', true, 120],
      [NAME, DnsType.AAAA, '2001:db8::7', true, 120],
    ]);
  });

  it('follows compression pointers and rejects pointer loops', () => {
    // A response whose answer name points back at the question name (offset 12).
    const query = encodeDnsQuery([{ name: NAME, type: DnsType.A, unicastResponse: false }]);
    const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9]);
    const msg = Buffer.concat([query, answer]);
    msg.writeUInt16BE(0x8400, 2);
    msg.writeUInt16BE(1, 6);
    expect(parseDnsMessage(msg).answers[0]?.address).toBe('192.0.2.9');
    const loop = Buffer.from([0, 0, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => parseDnsMessage(loop)).toThrow(DnsParseError);
  });

  it('never throws anything but DnsParseError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          parseDnsMessage(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(DnsParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('mDNS resolver and responder', () => {
  it('resolves a published name, retries, and gives up on silence', () => {
    expect(isMdnsName(NAME)).toBe(true);
    expect(isMdnsName('example.org')).toBe(false);
    const asker = new MdnsResolver();
    const owner = new MdnsResolver();
    owner.publish(NAME, '192.0.2.7');
    asker.resolve(NAME, 0);
    const query = asker.pollTransmit()!;
    owner.handleMessage(query, 0);
    const answer = owner.pollTransmit()!;
    asker.handleMessage(answer, 5);
    expect(asker.pollEvent()).toEqual({ type: 'resolved', name: NAME, addresses: ['192.0.2.7'] });

    asker.resolve('nobody.local', 10);
    let queries = 1;
    asker.pollTransmit();
    for (let now = 10; asker.nextDeadline() !== undefined; now = asker.nextDeadline()!) {
      asker.handleTimeout(now);
      while (asker.pollTransmit()) queries++;
    }
    expect(queries).toBe(3);
    expect(asker.pollEvent()).toEqual({ type: 'unresolved', name: 'nobody.local' });
  });

  it('the agent defers a named candidate until resolved without holding up others', () => {
    const agent = new IceAgent({
      controlling: true,
      localCredentials: { ufrag: 'aaaa', pwd: 'aaaaaaaaaaaaaaaaaaaaaaaa' },
      remoteCredentials: { ufrag: 'bbbb', pwd: 'bbbbbbbbbbbbbbbbbbbbbbbb' },
    });
    agent.addLocalCandidate({ socketId: 's0', type: 'host', address: '192.0.2.1', port: 5000 });
    expect(agent.addRemoteCandidate(`candidate:1 1 udp 2130706431 ${NAME} 7000 typ host`)).toBe(true);
    expect(agent.addRemoteCandidate('candidate:2 1 udp 2130706430 192.0.2.8 7000 typ host')).toBe(true);
    const events = [];
    for (let e = agent.pollEvent(); e; e = agent.pollEvent()) events.push(e);
    expect(events).toContainEqual({ type: 'resolve-address', name: NAME });
    expect(agent.checkList.map((p) => p.remote.address)).toEqual(['192.0.2.8']);
    agent.resolveRemoteAddress(NAME, ['192.0.2.7']);
    expect(agent.checkList.map((p) => p.remote.address).sort()).toEqual(['192.0.2.7', '192.0.2.8']);
  });
});

describe('Node driver resolves named candidates', () => {
  it('connects to a candidate given as a DNS name (localhost) over loopback', async () => {
    const a = new NodeIceTransport({ controlling: true, addresses: ['127.0.0.1'] });
    const b = new NodeIceTransport({ controlling: false, addresses: ['127.0.0.1'] });
    try {
      await Promise.all([a.gather(), b.gather()]);
      a.setRemoteCredentials(b.localCredentials);
      b.setRemoteCredentials(a.localCredentials);
      for (const c of b.agent.localCandidateList) a.addRemoteCandidate({ ...c, address: 'localhost' });
      for (const c of a.agent.localCandidateList) b.addRemoteCandidate({ ...c });
      const up = (t: NodeIceTransport) => t.state === 'connected' || t.state === 'completed';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out')), 10_000);
        const check = () => {
          if (up(a) && up(b)) {
            clearTimeout(timer);
            resolve();
          }
        };
        a.on(check);
        b.on(check);
        check();
      });
      expect(a.selectedPair?.remote.address).toBe('127.0.0.1');
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('Node driver hides host addresses behind mDNS names when asked', () => {
  it('signals <uuid>.local for host candidates while pairing with the real address', async () => {
    const t = new NodeIceTransport({ controlling: true, addresses: ['127.0.0.1'], mdnsHostnames: true });
    const signalled: string[] = [];
    t.on((e) => {
      if (e.type === 'local-candidate') signalled.push(e.candidate.address);
    });
    try {
      await t.gather();
      expect(signalled).toHaveLength(1);
      expect(signalled[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.local$/);
      expect(t.agent.localCandidateList[0]?.address).toBe('127.0.0.1');
    } finally {
      t.close();
    }
  });
});
