import { describe, expect, it } from 'vitest';
import { type AssociationOptions, parsePacket } from '../src/index.js';
import type { SackChunk } from '../src/packet/chunks/sack.js';
import { Pair } from './helpers/pair.js';

/**
 * Feeds `count` one-chunk DATA packets from a to b as one burst (as a driver does with the
 * datagrams one socket read returned), draining b after each packet like the peer transport.
 * Returns the SACKs b sent during the burst and those it sent once its due timers ran.
 */
function burst(
  optsB: Partial<AssociationOptions>,
  count: number,
  lose: (index: number) => boolean = () => false,
): { during: SackChunk[]; after: SackChunk[]; lastTsn: number } {
  const p = new Pair({}, {}, optsB);
  p.connect();
  for (let i = 0; i < count; i++) expect(p.a.send(1, 53, Buffer.alloc(1000, i), {}, p.now)).toBe('ok');
  const packets: Buffer[] = [];
  for (let d = p.a.pollTransmit(p.now); d; d = p.a.pollTransmit(p.now)) packets.push(d);
  expect(packets).toHaveLength(count);
  const sacks = (): SackChunk[] => {
    const out: SackChunk[] = [];
    for (let d = p.b.pollTransmit(p.now); d; d = p.b.pollTransmit(p.now)) {
      for (const c of parsePacket(d).chunks) if (c.type === 'sack') out.push(c);
    }
    return out;
  };
  const during: SackChunk[] = [];
  let lastTsn = 0;
  packets.forEach((d, i) => {
    const data = parsePacket(d).chunks[0];
    if (data?.type === 'data') lastTsn = data.tsn;
    if (lose(i)) return;
    p.b.handlePacket(d, p.now);
    during.push(...sacks());
  });
  const after: SackChunk[] = [];
  const deadline = p.b.nextDeadline();
  if (deadline !== undefined && deadline <= p.now) {
    p.b.handleTimeout(p.now);
    after.push(...sacks());
  }
  return { during, after, lastTsn };
}

describe('SACK coalescing (RFC 9260 6.2 every second packet, acknowledged at the end of a burst)', () => {
  it('a burst of 8 in-order packets gets one SACK, from the timeout due at the same instant', () => {
    const { during, after, lastTsn } = burst({ maxPacketsPerSack: 16 }, 8);
    expect(during).toHaveLength(0);
    expect(after).toHaveLength(1);
    expect(after[0]!.cumulativeTsnAck).toBe(lastTsn);
    expect(after[0]!.gapBlocks).toHaveLength(0);
  });

  it('by default (maxPacketsPerSack 2) every second packet is acknowledged at once', () => {
    const { during, after, lastTsn } = burst({}, 8);
    expect(during).toHaveLength(4);
    expect(during[3]!.cumulativeTsnAck).toBe(lastTsn);
    expect(after).toHaveLength(0);
  });

  it('a gap is still reported immediately (RFC 9260 6.7), whatever the coalescing', () => {
    const { during, after, lastTsn } = burst({ maxPacketsPerSack: 16 }, 8, (i) => i === 2);
    // Packets 4..8 each arrive with a gap open: each one is answered at once.
    expect(during).toHaveLength(5);
    expect(during[0]!.gapBlocks).toEqual([{ start: 2, end: 2 }]);
    expect(during[4]!.gapBlocks).toEqual([{ start: 2, end: 6 }]);
    expect(during[4]!.cumulativeTsnAck).toBe((lastTsn - 6) >>> 0);
    expect(after).toHaveLength(0);
  });

  it('coalescing stops at maxPacketsPerSack: 8 packets with a limit of 3 get SACKs at 3 and 6, then one at the end', () => {
    const { during, after, lastTsn } = burst({ maxPacketsPerSack: 3 }, 8);
    expect(during).toHaveLength(2);
    expect(during[1]!.cumulativeTsnAck).toBe((lastTsn - 2) >>> 0);
    expect(after).toHaveLength(1);
    expect(after[0]!.cumulativeTsnAck).toBe(lastTsn);
  });

  it('a single packet still waits for the delayed-ACK timer (200 ms)', () => {
    const p = new Pair({}, {}, { maxPacketsPerSack: 16 });
    p.connect();
    p.a.send(1, 53, Buffer.alloc(100), {}, p.now);
    const d = p.a.pollTransmit(p.now)!;
    p.b.handlePacket(d, p.now);
    expect(p.b.pollTransmit(p.now)).toBeUndefined();
    expect(p.b.nextDeadline()).toBe(p.now + 200);
  });

  it('a bulk transfer over the simulated link stays intact with far fewer SACKs than packets', () => {
    const p = new Pair({ delayMs: 5 }, {}, { maxPacketsPerSack: 16 });
    p.connect();
    const sentBefore = p.sent.b;
    const total = 300;
    for (let i = 0; i < total; i++) p.a.send(1, 53, Buffer.alloc(1000, i & 0xff), {}, p.now);
    p.flush();
    expect(p.runUntil(() => p.messages('b').length === total, 60_000)).toBe(true);
    p.messages('b').forEach((m, i) => {
      expect(m.data.equals(Buffer.alloc(1000, i & 0xff))).toBe(true);
    });
    const sacks = p.sent.b - sentBefore;
    // The Pair delivers everything due at one instant as a burst, like a socket read.
    expect(sacks).toBeLessThan(total / 2);
    expect(sacks).toBeGreaterThan(0);
  });
});
