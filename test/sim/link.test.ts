import { describe, expect, it } from 'vitest';
import { Link, type LinkConfig } from './link.js';
import { SeededRandom } from './random.js';

function send(config: LinkConfig, count: number, size = 100, seed = 7, spacingMs = 1) {
  const link = new Link(config, new SeededRandom(seed));
  const arrivals: { index: number; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    for (const at of link.transmit(i * spacingMs, size)) arrivals.push({ index: i, at });
  }
  return { link, arrivals };
}

describe('Link', () => {
  it('delivers everything after exactly the configured delay on a clean link', () => {
    const { arrivals, link } = send({ delayMs: 25 }, 50);
    expect(arrivals).toHaveLength(50);
    expect(arrivals.map((a) => a.at - a.index)).toEqual(new Array(50).fill(25));
    expect(link.stats).toMatchObject({ sent: 50, delivered: 50, droppedLoss: 0 });
  });

  it('loses close to the configured rate, reproducibly per seed', () => {
    const n = 20_000;
    const a = send({ loss: 0.1 }, n, 100, 42);
    const b = send({ loss: 0.1 }, n, 100, 42);
    const c = send({ loss: 0.1 }, n, 100, 43);
    const rate = a.link.stats.droppedLoss / n;
    // 20k Bernoulli(0.1) draws: 3 standard deviations is about 0.0064.
    expect(rate).toBeGreaterThan(0.093);
    expect(rate).toBeLessThan(0.107);
    expect(b.arrivals.map((x) => x.index)).toEqual(a.arrivals.map((x) => x.index));
    expect(c.arrivals.map((x) => x.index)).not.toEqual(a.arrivals.map((x) => x.index));
  });

  it('follows an explicit loss pattern exactly', () => {
    const { arrivals } = send({ lossPattern: [false, true, true] }, 9);
    expect(arrivals.map((a) => a.index)).toEqual([0, 3, 6]);
  });

  it('drops datagrams larger than the MTU and passes those that fit', () => {
    const link = new Link({ mtu: 1200 }, new SeededRandom(1));
    expect(link.transmit(0, 1200)).toHaveLength(1);
    expect(link.transmit(0, 1201)).toHaveLength(0);
    expect(link.stats.droppedMtu).toBe(1);
  });

  it('keeps order without jitter and reorders some datagrams when asked', () => {
    const inOrder = send({ delayMs: 10 }, 200).arrivals;
    expect(isSortedByIndex(inOrder)).toBe(true);
    const { arrivals, link } = send({ delayMs: 10, reorder: 0.2, reorderDelayMs: 5 }, 200);
    expect(arrivals).toHaveLength(200);
    expect(link.stats.reordered).toBeGreaterThan(20);
    expect(isSortedByIndex(arrivals)).toBe(false);
  });

  it('duplicates close to the configured rate', () => {
    const n = 10_000;
    const { arrivals, link } = send({ duplicate: 0.05 }, n);
    expect(link.stats.duplicated).toBeGreaterThan(n * 0.04);
    expect(link.stats.duplicated).toBeLessThan(n * 0.06);
    expect(arrivals).toHaveLength(n + link.stats.duplicated);
  });

  it('serialises at the bottleneck rate and tail-drops when the queue is full', () => {
    // 1 Mbit/s: a 1000-byte datagram takes 8 ms. 10 sent at once arrive 8 ms apart.
    const link = new Link({ bandwidthBps: 1_000_000, queueBytes: 5000 }, new SeededRandom(1));
    const times: number[] = [];
    for (let i = 0; i < 10; i++) times.push(...link.transmit(0, 1000));
    expect(times).toEqual([8, 16, 24, 32, 40]);
    expect(link.stats.droppedQueue).toBe(5);
    // Once the queue drains, the link accepts again.
    expect(link.transmit(40, 1000)).toEqual([48]);
  });

  it('adds jitter within its bound', () => {
    const { arrivals } = send({ delayMs: 20, jitterMs: 10 }, 500);
    for (const a of arrivals) {
      expect(a.at - a.index).toBeGreaterThanOrEqual(20);
      expect(a.at - a.index).toBeLessThan(30);
    }
    const spread = new Set(arrivals.map((a) => Math.floor(a.at - a.index)));
    expect(spread.size).toBeGreaterThan(5);
  });
});

function isSortedByIndex(arrivals: { index: number; at: number }[]): boolean {
  const order = [...arrivals].sort((x, y) => x.at - y.at || x.index - y.index).map((a) => a.index);
  return order.every((v, i) => i === 0 || v >= order[i - 1]!);
}
