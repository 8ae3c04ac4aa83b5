import { describe, expect, it } from 'vitest';
import { parsePacket, serializePacket } from '../src/index.js';
import { PathMtuDiscovery, PROBE_OVERHEAD } from '../src/socket/path-mtu-discovery.js';
import { TimerSet } from '../src/timer/timer.js';
import { Pair, seededRandom } from './helpers/pair.js';

/** A link that carries SCTP packets up to `mtu` bytes and silently drops larger ones (no ICMP). */
function linkWithMtu(mtu: { value: number }, sizes: number[] = []) {
  return {
    delayMs: 5,
    filter: (bytes: Buffer) => {
      sizes.push(bytes.length);
      return bytes.length > mtu.value;
    },
  };
}

function chunkTypes(bytes: Buffer): string[] {
  return parsePacket(bytes).chunks.map((c) => c.type);
}

function message(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('path MTU discovery (RFC 8899 6.2.1) in the association', () => {
  it('is off by default: no probe, every packet within the 1200-byte base', () => {
    const sizes: number[] = [];
    const p = new Pair(linkWithMtu({ value: 65_536 }, sizes));
    p.connect();
    expect(p.a.send(1, 53, message(100_000, 1), {}, p.now)).toBe('ok');
    p.flush();
    p.runUntil(() => p.messages('b').length === 1, 20_000);
    expect(p.messages('b')[0]!.data.equals(message(100_000, 1))).toBe(true);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1200);
    expect(p.a.pathMtu).toMatchObject({ current: 1200, state: 'disabled', probesSent: 0 });
  });

  it('confirms the largest allowed size with one probe and then sends data in packets of that size', () => {
    const sizes: number[] = [];
    const packets: Buffer[] = [];
    const mtu = { value: 65_536 };
    const p = new Pair(
      {
        delayMs: 5,
        filter: (bytes, from) => {
          if (from === 'a') packets.push(bytes);
          sizes.push(bytes.length);
          return bytes.length > mtu.value;
        },
      },
      { maxMtu: 16_384 },
    );
    p.connect();
    p.runUntil(() => p.a.pathMtu.state === 'search-complete', 5_000);
    expect(p.a.pathMtu).toMatchObject({ current: 16_384, maximum: 16_384, probesSent: 1 });
    // The probe: one HEARTBEAT of exactly the probed size; b's HEARTBEAT ACK echoes all of it.
    const probe = packets.find((b) => b.length > 1200);
    expect(probe?.length).toBe(16_384);
    expect(chunkTypes(probe!)).toEqual(['heartbeat']);
    expect(sizes.filter((n) => n === 16_384)).toHaveLength(2);
    // b does not probe (its maximum is the base) but takes the large packets.
    expect(p.b.pathMtu.state).toBe('disabled');
    packets.length = 0;
    expect(p.a.send(1, 53, message(150_000, 2), {}, p.now)).toBe('ok');
    p.flush();
    p.runUntil(() => p.messages('b').length === 1, 20_000);
    expect(p.messages('b')[0]!.data.equals(message(150_000, 2))).toBe(true);
    const dataSizes = packets.filter((b) => chunkTypes(b).includes('data')).map((b) => b.length);
    expect(Math.max(...dataSizes)).toBe(16_384);
    // ~13 packets instead of ~170 at 1200 bytes.
    expect(dataSizes.length).toBeLessThan(20);
  });

  it('on a path that drops packets above 1400 bytes, settles just below 1400 and never sends data above it', () => {
    const sizes: number[] = [];
    const mtu = { value: 1400 };
    const p = new Pair(linkWithMtu(mtu, sizes), { maxMtu: 9000 });
    p.connect();
    expect(p.a.send(1, 53, message(250_000, 3), {}, p.now)).toBe('ok');
    p.flush();
    p.runUntil(() => p.a.pathMtu.state === 'search-complete' && p.messages('b').length === 1, 60_000);
    expect(p.messages('b')[0]!.data.equals(message(250_000, 3))).toBe(true);
    const { current, probesSent } = p.a.pathMtu;
    expect(current).toBeLessThanOrEqual(1400);
    expect(current).toBeGreaterThan(1400 - 32);
    // Each failed size costs MAX_PROBES (3) probes; the binary search needs a handful of sizes.
    expect(probesSent).toBeLessThan(30);
    expect(p.a.stats.t3Expiries).toBe(0);
    // PMTU_RAISE_TIMER (RFC 8899 5.1.1, 600 s): the search runs again and finds the same answer.
    const before = p.a.pathMtu.probesSent;
    p.runUntil(() => p.a.pathMtu.probesSent > before && p.a.pathMtu.state === 'search-complete', 700_000);
    expect(p.a.pathMtu.current).toBe(current);
  });

  it('a lower maximum (another path) shrinks the packets at once; a higher one is probed for', () => {
    const sizes: number[] = [];
    const p = new Pair(linkWithMtu({ value: 65_536 }, sizes), { maxMtu: 16_384 });
    p.connect();
    p.runUntil(() => p.a.pathMtu.current === 16_384, 5_000);
    p.a.setMaxMtu(1300, p.now);
    expect(p.a.pathMtu.current).toBe(1300);
    sizes.length = 0;
    expect(p.a.send(1, 53, message(50_000, 4), {}, p.now)).toBe('ok');
    p.flush();
    p.runUntil(() => p.messages('b').length === 1, 20_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1300);
    p.a.setMaxMtu(8192, p.now);
    p.runUntil(() => p.a.pathMtu.current === 8192, 5_000);
    expect(p.a.pathMtu.current).toBe(8192);
  });

  it('both ends probing at once each confirm their own size', () => {
    const p = new Pair({ delayMs: 5 }, { maxMtu: 4096 }, { maxMtu: 8192 });
    p.connect();
    p.runUntil(() => p.a.pathMtu.current === 4096 && p.b.pathMtu.current === 8192, 5_000);
    expect([p.a.pathMtu.current, p.b.pathMtu.current]).toEqual([4096, 8192]);
    expect(p.a.state).toBe('established');
  });

  it('a PAD chunk (RFC 4820, as other stacks probe) is discarded without an error or an unknown-chunk count', () => {
    const p = new Pair({ delayMs: 5 });
    p.connect();
    const hb = {
      type: 'heartbeat' as const,
      params: [{ type: 'heartbeat-info' as const, info: Buffer.from('x') }],
    };
    const bytes = serializePacket({
      sourcePort: 5000,
      destinationPort: 5000,
      verificationTag: (p.b as unknown as { tcb: { localTag: number } }).tcb.localTag,
      chunks: [hb, { type: 'unknown', code: 0x84, flags: 0, value: Buffer.alloc(2000) }],
    });
    const answers: string[][] = [];
    p.b.handlePacket(bytes, p.now);
    for (let d = p.b.pollTransmit(p.now); d; d = p.b.pollTransmit(p.now)) answers.push(chunkTypes(d));
    expect(answers).toEqual([['heartbeat-ack']]);
    expect(p.b.stats.unknownChunks).toBe(0);
  });
});

describe('PathMtuDiscovery state machine', () => {
  const timers = () => new TimerSet();

  function ackFor(info: Buffer) {
    return [{ type: 'heartbeat-info' as const, info }];
  }

  it('probes the maximum first, then halves the range after MAX_PROBES (3) losses of one size', () => {
    const t = timers();
    const d = new PathMtuDiscovery(t, 1200, 9000, seededRandom(5));
    d.start(0);
    // The search waits 100 ms after establishment: the handshake's and DCEP's packets go first.
    expect(t.nextDeadline()).toBe(100);
    expect(d.handleTimeout(99, 500)).toBeUndefined();
    const first = d.handleTimeout(100, 500);
    expect(first?.size).toBe(9000);
    expect(first?.info.length).toBe(9000 - PROBE_OVERHEAD);
    // The PROBE_TIMER is at least 1 s (RFC 8899 5.1.1), however small the RTO.
    expect(t.nextDeadline()).toBe(1100);
    expect(d.handleTimeout(1100, 500)?.size).toBe(9000);
    expect(d.handleTimeout(2100, 500)?.size).toBe(9000);
    const mid = d.handleTimeout(3100, 500);
    expect(mid?.size).toBe(
      1200 + Math.floor((8999 - 1200) / 2) - ((1200 + Math.floor((8999 - 1200) / 2)) % 4),
    );
    expect(d.handleAck(ackFor(mid!.info), 3110)).toEqual({ probe: true, confirmed: true });
    expect(d.current).toBe(mid!.size);
  });

  it('an ACK that is not the outstanding probe changes nothing; a plain heartbeat is not a probe', () => {
    const d = new PathMtuDiscovery(timers(), 1200, 4000, seededRandom(6));
    d.start(0);
    const probe = d.handleTimeout(100, 500)!;
    const forged = Buffer.from(probe.info);
    forged[12]! ^= 1;
    expect(d.handleAck(ackFor(forged), 5)).toEqual({ probe: true, confirmed: false });
    expect(d.current).toBe(1200);
    expect(d.handleAck(ackFor(Buffer.alloc(16)), 5)).toEqual({ probe: false, confirmed: false });
    expect(d.handleAck(ackFor(probe.info), 6).confirmed).toBe(true);
    expect(d.current).toBe(4000);
    // Replayed: already consumed.
    expect(d.handleAck(ackFor(probe.info), 7).confirmed).toBe(false);
  });

  it('two T3 expiries in a row fall back to the base size and search again (black hole, RFC 8899 4.3)', () => {
    const d = new PathMtuDiscovery(timers(), 1200, 16_384, seededRandom(7));
    d.start(0);
    const probe = d.handleTimeout(100, 500)!;
    d.handleAck(ackFor(probe.info), 101);
    expect(d.current).toBe(16_384);
    expect(d.handleTimeout(101, 500)).toBeUndefined();
    expect(d.state).toBe('search-complete');
    expect(d.onT3Expiry(100)).toBe(false);
    d.onProgress();
    expect(d.onT3Expiry(200)).toBe(false);
    expect(d.onT3Expiry(300)).toBe(true);
    expect(d.current).toBe(1200);
    expect(d.blackHoles).toBe(1);
    expect(d.state).toBe('searching');
    expect(d.handleTimeout(300, 500)?.size).toBe(16_384);
  });

  it('never probes when the maximum is the base, and keeps sizes multiples of 4', () => {
    const d = new PathMtuDiscovery(timers(), 1200, 1200, seededRandom(8));
    d.start(0);
    expect(d.state).toBe('disabled');
    expect(d.handleTimeout(0, 500)).toBeUndefined();
    const e = new PathMtuDiscovery(timers(), 1200, 1501, seededRandom(9));
    e.start(0);
    expect(e.handleTimeout(100, 500)?.size).toBe(1500);
  });
});
