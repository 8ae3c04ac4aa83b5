import { describe, expect, it } from 'vitest';
import { Pair } from './helpers/pair.js';

describe('messages larger than the receive window (RFC 9260 6.1 A, 6.2)', () => {
  for (const unordered of [false, true]) {
    it(`a ${unordered ? 'n unordered' : 'n ordered'} 100 kB message completes through a 16 kB window, memory bounded`, () => {
      const window = 16_384;
      const p = new Pair({}, {}, { maxReceiverWindow: window });
      p.connect();
      const big = Buffer.alloc(100_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
      expect(p.a.send(1, 53, big, { unordered }, p.now)).toBe('ok');
      expect(p.a.send(1, 53, Buffer.from('after'), { unordered }, p.now)).toBe('ok');
      let peak = 0;
      const done = p.runUntil(() => {
        peak = Math.max(peak, p.b.receiveBufferedBytes);
        return p.messages('b').length === 2;
      }, 120_000);
      expect(done).toBe(true);
      const got = p.messages('b');
      const whole = got.find((m) => m.data.length === big.length);
      expect(whole?.data.equals(big)).toBe(true);
      expect(got.some((m) => m.data.toString() === 'after')).toBe(true);
      // Held at most: the window, one message, and one packet.
      expect(peak).toBeLessThanOrEqual(window + big.length + 1200);
      expect(peak).toBeGreaterThan(window);
      expect(p.b.receiveBufferedBytes).toBe(0);
    });
  }

  it('out-of-sequence data beyond the window is still refused (the hard limit is for in-sequence data only)', () => {
    const window = 8192;
    let dropNext = false;
    const p = new Pair(
      {
        filter: (_bytes, from) => {
          if (from !== 'a' || !dropNext) return false;
          dropNext = false;
          return true;
        },
      },
      {},
      { maxReceiverWindow: window },
    );
    p.connect();
    dropNext = true; // the first DATA packet is lost: everything after it is out of sequence
    for (let i = 0; i < 40; i++) p.a.send(1, 53, Buffer.alloc(1000, i), {}, p.now);
    let peak = 0;
    p.runUntil(() => {
      peak = Math.max(peak, p.b.receiveBufferedBytes);
      return p.messages('b').length === 40;
    }, 60_000);
    expect(p.messages('b')).toHaveLength(40);
    expect(peak).toBeLessThanOrEqual(window + 1200);
  });
});
