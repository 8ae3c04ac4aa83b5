import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tsnLessThan, Unwrapper, wrap32 } from '../src/common/serial.js';
import { DataTracker } from '../src/rx/data-tracker.js';
import { Pair } from './helpers/pair.js';

describe('serial number arithmetic (RFC 1982)', () => {
  it('compares across the 32-bit wrap', () => {
    expect(tsnLessThan(0xffffffff, 0)).toBe(true);
    expect(tsnLessThan(0, 0xffffffff)).toBe(false);
    expect(tsnLessThan(5, 5)).toBe(false);
    expect(tsnLessThan(0x7ffffff0, 0x80000001)).toBe(true);
  });

  it('unwraps monotonic sequences with jitter into plain increasing numbers', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.array(fc.integer({ min: -1000, max: 3000 }), { maxLength: 200 }),
        (start, steps) => {
          const u = new Unwrapper(32);
          let real = start;
          expect(u.unwrap(start)).toBe(start);
          for (const s of steps) {
            real += s;
            if (real < 0) real = 0;
            expect(u.unwrap(wrap32(real))).toBe(real);
          }
        },
      ),
    );
    const u16 = new Unwrapper(16);
    u16.reset(0);
    expect([65534, 65535, 0, 1, 65535].map((v) => u16.unwrap(v))).toEqual([-2, -1, 0, 1, -1]);
    const v16 = new Unwrapper(16);
    v16.reset(65530);
    expect([65535, 0, 3].map((v) => v16.unwrap(v))).toEqual([65535, 65536, 65539]);
  });
});

describe('data tracker (RFC 9260 6.2, 6.7)', () => {
  it('reports gap blocks and duplicates relative to the cumulative TSN, across the wrap', () => {
    const t = new DataTracker(0xfffffffe);
    expect(t.observe(0xfffffffe, false)).toBeDefined();
    expect(t.observe(0x00000001, false)).toBeDefined(); // gap: 0xffffffff and 0 missing
    expect(t.observe(0x00000002, false)).toBeDefined();
    expect(t.observe(0x00000004, false)).toBeDefined();
    expect(t.observe(0x00000001, false)).toBeUndefined(); // duplicate
    expect(t.sackImmediately).toBe(true);
    const sack = t.createSack(1000);
    expect(sack.cumulativeTsnAck).toBe(0xfffffffe);
    expect(sack.gapBlocks).toEqual([
      { start: 3, end: 4 },
      { start: 6, end: 6 },
    ]);
    expect(sack.duplicateTsns).toEqual([1]);
    t.observe(0xffffffff, false);
    t.observe(0, false);
    const s2 = t.createSack(1000);
    expect(s2.cumulativeTsnAck).toBe(2);
    expect(s2.gapBlocks).toEqual([{ start: 2, end: 2 }]);
  });

  it('by default, delays the SACK for one in-order packet and sends it on the second (RFC 9260 6.2)', () => {
    const t = new DataTracker(100);
    t.observe(100, false);
    t.endOfPacket();
    expect(t.sackPending).toBe(true);
    expect(t.sackImmediately).toBe(false);
    t.observe(101, false);
    t.endOfPacket();
    expect(t.sackImmediately).toBe(true);
  });

  it('with coalescing, owes the SACK on the second packet and makes it immediate at the limit', () => {
    const t = new DataTracker(100, 3);
    t.observe(100, false);
    t.endOfPacket();
    expect(t.sackPending).toBe(true);
    expect(t.sackOwed).toBe(false);
    t.observe(101, false);
    t.endOfPacket();
    expect(t.sackOwed).toBe(true);
    // Owed, not immediate: the association may send it at the end of the burst.
    expect(t.sackImmediately).toBe(false);
    t.observe(102, false);
    t.endOfPacket();
    expect(t.sackImmediately).toBe(true);
    t.createSack(1000);
    expect(t.sackOwed).toBe(false);
    expect(t.sackPending).toBe(false);
  });

  it('classifies TSNs beyond the 16-bit gap range as out of window', () => {
    const t = new DataTracker(10);
    expect(t.classify(9 + 0xffff)).toBe('new'); // cumulative TSN is 9
    expect(t.classify(9 + 0x10000)).toBe('out-of-window');
    expect(t.classify(9)).toBe('duplicate');
    expect(t.forwardTo(20)).toBe(true);
    expect(t.cumAck).toBe(20);
  });
});

describe('TSN wrap-around end to end', () => {
  it('transfers across the 32-bit TSN wrap in both directions', () => {
    // Random source that makes every initial TSN and tag 0xffffff00.
    const nearWrap = (n: number) => Buffer.alloc(n, 0xff).fill(0, n - 1);
    const p = new Pair({ loss: 0.05, seed: 3 }, { random: nearWrap }, { random: nearWrap });
    p.connect();
    for (let i = 0; i < 400; i++) {
      p.a.send(1, 53, Buffer.alloc(1500, i & 0xff), {}, p.now);
      p.b.send(1, 53, Buffer.alloc(700, i & 0xff), {}, p.now);
    }
    p.flush();
    p.runUntil(() => p.messages('b').length === 400 && p.messages('a').length === 400, 120_000);
    expect(p.messages('b').every((m, i) => m.data.length === 1500 && m.data[0] === (i & 0xff))).toBe(true);
    expect(p.messages('a').every((m, i) => m.data.length === 700 && m.data[0] === (i & 0xff))).toBe(true);
  });
});

describe('SSN wrap-around', () => {
  it('delivers more than 65536 ordered messages on one stream in order', () => {
    const p = new Pair();
    p.connect();
    const n = 70_000;
    let sent = 0;
    let ok = true;
    let next = 0;
    // Keep the send buffer small and check order as messages arrive, so memory stays flat.
    p.runUntil(() => {
      while (sent < n && p.a.bufferedAmount(1) < 50_000) {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(sent++);
        p.a.send(1, 53, b, {}, p.now);
      }
      p.flush();
      for (const e of p.eventsB.splice(0)) {
        if (e.type !== 'message') continue;
        if (e.data.readUInt32BE(0) !== next) ok = false;
        next++;
      }
      return next === n;
    }, 600_000);
    expect(next).toBe(n);
    expect(ok).toBe(true);
  });
});
