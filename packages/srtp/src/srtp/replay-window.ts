/**
 * The replay list of RFC 3711 3.3.2 as a sliding bitmap over packet indices. `check` is pure;
 * `commit` runs only once the packet authenticated, so forged packets never move the window.
 */
export class ReplayWindow {
  private readonly bits: Uint32Array;
  private readonly size: number;
  /** Highest index committed, or -1 before the first packet. */
  highest = -1;

  constructor(size = 64) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError('replay window size must be a positive integer');
    this.size = Math.ceil(size / 32) * 32;
    this.bits = new Uint32Array(this.size / 32);
  }

  /** True when `index` is new and inside (or ahead of) the window. */
  check(index: number): boolean {
    if (index > this.highest) return true;
    if (this.highest - index >= this.size) return false;
    const slot = index % this.size;
    return (this.bits[slot >>> 5]! & (1 << (slot & 31))) === 0;
  }

  commit(index: number): void {
    if (index > this.highest) {
      const advance = this.highest < 0 ? this.size : index - this.highest;
      if (advance >= this.size) {
        this.bits.fill(0);
      } else {
        for (let i = this.highest + 1; i < index; i++) this.clear(i % this.size);
      }
      this.highest = index;
    }
    const slot = index % this.size;
    this.bits[slot >>> 5]! |= 1 << (slot & 31);
  }

  private clear(slot: number): void {
    this.bits[slot >>> 5]! &= ~(1 << (slot & 31));
  }
}
