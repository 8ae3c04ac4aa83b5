import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    const c = new SeededRandom(6);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws roughly uniform floats in [0, 1)', () => {
    const r = new SeededRandom(9);
    const buckets = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      buckets[Math.floor(x * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('forks independent, reproducible streams', () => {
    const f1 = new SeededRandom(3).fork('link-a');
    const f2 = new SeededRandom(3).fork('link-a');
    const g = new SeededRandom(3).fork('link-b');
    const x = f1.nextUint32();
    expect(f2.nextUint32()).toBe(x);
    expect(g.nextUint32()).not.toBe(x);
  });
});
