/**
 * RFC 6347 4.1.2.6 anti-replay: a sliding window over 48-bit sequence numbers. `check` before
 * authentication, `mark` only after the record authenticated, so forgeries cannot move the window.
 */
export class ReplayWindow {
  private max = -1;
  private readonly seen: Uint8Array;

  constructor(private readonly size = 64) {
    this.seen = new Uint8Array(size);
  }

  check(seq: number): boolean {
    if (seq > this.max) return true;
    if (this.max - seq >= this.size) return false;
    return this.seen[seq % this.size] === 0;
  }

  mark(seq: number): void {
    if (seq > this.max) {
      const gap = Math.min(seq - this.max, this.size);
      for (let i = 0; i < gap; i++) this.seen[(seq - i) % this.size] = 0;
      this.max = seq;
    }
    this.seen[seq % this.size] = 1;
  }

  reset(): void {
    this.max = -1;
    this.seen.fill(0);
  }
}
