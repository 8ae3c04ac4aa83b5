import { describe, expect, it } from 'vitest';
import { type Chunk, parsePacket } from '../src/index.js';
import { Pair } from './helpers/pair.js';

type DataLike = Extract<Chunk, { type: 'data' | 'idata' }>;

/** A pair whose link drops a's DATA chunks for which `drop` says so (whole packets). */
function lossyPair(drop: (c: DataLike, attempt: number) => boolean, interleaving = false) {
  const attempts = new Map<number, number>();
  const seen: Chunk[] = [];
  const p = new Pair(
    {
      filter: (bytes, from) => {
        const pkt = parsePacket(bytes);
        if (from !== 'a') return false;
        seen.push(...pkt.chunks);
        for (const c of pkt.chunks) {
          if (c.type !== 'data' && c.type !== 'idata') continue;
          const n = (attempts.get(c.tsn) ?? 0) + 1;
          attempts.set(c.tsn, n);
          if (drop(c, n)) return true;
        }
        return false;
      },
    },
    { mtu: 1200, messageInterleaving: interleaving },
    { mtu: 1200, messageInterleaving: interleaving },
  );
  p.connect();
  return { p, attempts, seen };
}

const text = (p: Pair) => p.messages('b').map((m) => m.data.subarray(0, 8).toString());
const msg = (label: string, size: number) =>
  Buffer.concat([Buffer.from(label.padEnd(8)), Buffer.alloc(size - 8, 0x61)]);

describe('partial reliability (RFC 3758) abandons exactly the right fragments', () => {
  for (const interleaving of [false, true]) {
    const kind = interleaving ? 'I-DATA / I-FORWARD-TSN' : 'DATA / FORWARD-TSN';
    it(`maxRetransmits 0: a lost middle fragment abandons the whole message only (${kind})`, () => {
      let middleTsn: number | undefined;
      const { p, attempts, seen } = lossyPair((c) => {
        if (c.payload.subarray(0, 8).toString() === 'second  ') return false;
        // The second fragment of "first" is lost every time.
        if (!c.beginning && !c.end && middleTsn === undefined) middleTsn = c.tsn;
        return c.tsn === middleTsn;
      }, interleaving);
      p.a.send(1, 53, msg('first', 3000), { maxRetransmits: 0 }, p.now);
      p.a.send(1, 53, msg('second', 100), { maxRetransmits: 0 }, p.now);
      p.a.send(1, 53, msg('third', 100), {}, p.now);
      p.flush();
      p.runUntil(() => p.messages('b').length >= 2, 20_000);
      p.runUntil(() => false, 2_000);
      expect(text(p)).toEqual(['second  ', 'third   ']);
      expect(attempts.get(middleTsn!)).toBe(1); // never retransmitted
      expect(seen.some((c) => c.type === (interleaving ? 'iforward-tsn' : 'forward-tsn'))).toBe(true);
      expect(p.a.abandonedMessages).toBe(1);
      expect(p.b.receiveBufferedBytes).toBe(0); // the delivered fragments of "first" were discarded
    });
  }

  it('maxRetransmits 1: retransmitted once, then delivered; 2 losses abandon it', () => {
    const { p, attempts } = lossyPair((c, n) =>
      c.payload.subarray(0, 8).toString() === 'once    '
        ? n === 1
        : c.payload.subarray(0, 8).toString() === 'twice   ' && n <= 2,
    );
    p.a.send(1, 53, msg('once', 1100), { maxRetransmits: 1 }, p.now);
    p.a.send(1, 53, msg('twice', 1100), { maxRetransmits: 1 }, p.now);
    for (let i = 0; i < 6; i++) p.a.send(1, 53, msg(`f${i}`, 1100), {}, p.now);
    p.flush();
    p.runUntil(() => p.messages('b').length >= 7, 20_000);
    expect(text(p)).toEqual([
      'once    ',
      'f0      ',
      'f1      ',
      'f2      ',
      'f3      ',
      'f4      ',
      'f5      ',
    ]);
    expect(Math.max(...attempts.values())).toBe(2);
  });

  it('maxPacketLifeTime: a message expiring before it is sent is dropped unsent; in flight, it is not retransmitted after expiry', () => {
    let blackhole = true;
    const { p } = lossyPair(() => blackhole);
    p.a.send(2, 53, msg('timed', 500), { maxLifetime: 300 }, p.now);
    p.a.send(2, 53, msg('reliable', 500), {}, p.now);
    p.flush();
    // Everything is lost for 2 s of virtual time; T3 retransmissions happen meanwhile.
    p.runUntil(() => false, 2_000);
    blackhole = false;
    p.runUntil(() => p.messages('b').length >= 1, 60_000);
    expect(text(p)).toEqual(['reliable']);
    expect(p.a.abandonedMessages).toBe(1);
    // Queued behind a full window: expired before its first transmission, it is never sent.
    const { p: q, seen } = lossyPair(() => false);
    q.a.send(3, 53, Buffer.alloc(200_000, 1), {}, q.now);
    q.a.send(3, 53, msg('late', 100), { maxLifetime: 1 }, q.now);
    q.flush();
    q.runUntil(() => q.messages('b').length >= 1, 60_000);
    q.runUntil(() => false, 1000);
    expect(q.messages('b')).toHaveLength(1);
    expect(
      seen.some(
        (c) => (c.type === 'data' || c.type === 'idata') && c.payload.subarray(0, 4).toString() === 'late',
      ),
    ).toBe(false);
  });

  it('a partially sent message that expires gets a placeholder end TSN so FORWARD-TSN covers it', () => {
    let dropAll = false;
    const { p, seen } = lossyPair(() => dropAll);
    // 200 KB cannot all go out in the first flight (cwnd 10 MTUs), so it is partially sent when it expires.
    p.a.send(4, 53, Buffer.alloc(200_000, 2), { maxLifetime: 50 }, p.now);
    p.a.send(4, 53, msg('next', 100), {}, p.now);
    dropAll = true;
    p.flush();
    dropAll = false;
    p.runUntil(() => p.messages('b').length >= 1, 60_000);
    expect(text(p)).toEqual(['next    ']);
    const fwd = seen.filter((c) => c.type === 'forward-tsn');
    expect(fwd.length).toBeGreaterThan(0);
    const sentData = seen.filter(
      (c): c is DataLike => c.type === 'data' && c.streamId === 4 && c.payload.length > 200,
    );
    expect(sentData.some((c) => c.end)).toBe(false); // the real end fragment never went out
  });
});

describe('without PR-SCTP negotiated', () => {
  it('delivers partially reliable messages reliably when the peer lacks FORWARD-TSN', () => {
    const p = new Pair({ loss: 0.2, seed: 9 }, {}, { partialReliability: false });
    // Queued before the handshake, with PR options that cannot be honoured.
    for (let i = 0; i < 50; i++) p.a.send(1, 53, Buffer.alloc(500, i), { maxRetransmits: 0 }, p.now);
    p.connect();
    expect(p.a.capabilities?.partialReliability).toBe(false);
    p.flush();
    p.runUntil(() => p.messages('b').length === 50, 120_000);
    expect(p.messages('b').map((m) => m.data[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p.a.abandonedMessages).toBe(0);
  });
});
