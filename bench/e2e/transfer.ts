import type { Channel } from './peers.js';

/** The sender stops writing above this many buffered bytes and resumes at `LOW_WATER`. */
export const HIGH_WATER = Number(process.env.E2E_HIGH_WATER ?? 2 * 1024 * 1024);
export const LOW_WATER = Number(process.env.E2E_LOW_WATER ?? 512 * 1024);

/** Sends `total` bytes in `size`-byte messages, paced by bufferedAmount / bufferedamountlow. */
export function sendAll(ch: Channel, size: number, total: number): Promise<void> {
  const message = Buffer.alloc(size, 0x5a);
  let sent = 0;
  ch.setLowThreshold(LOW_WATER);
  return new Promise((resolve) => {
    const pump = (): void => {
      while (sent < total && ch.bufferedAmount() < HIGH_WATER) {
        ch.send(message);
        sent += size;
      }
      if (sent >= total) resolve();
    };
    ch.onLow(pump);
    pump();
  });
}

/** Counts received bytes; `until(n)` resolves once `n` more bytes than at the call have arrived. */
export function byteCounter(ch: Channel): { until(bytes: number): Promise<void> } {
  let received = 0;
  let target = Number.POSITIVE_INFINITY;
  let wake: () => void = () => {};
  ch.onMessage((n) => {
    received += n;
    if (received >= target) {
      target = Number.POSITIVE_INFINITY;
      wake();
    }
  });
  return {
    until(bytes) {
      const goal = received + bytes;
      return new Promise((resolve) => {
        target = goal;
        wake = resolve;
        if (received >= goal) resolve();
      });
    },
  };
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
