/**
 * Serial number arithmetic (RFC 1982, as RFC 9260 1.6 requires for TSNs and SSNs). Wire values
 * wrap; internally we "unwrap" them into monotonically growing plain numbers (safe up to 2^53),
 * so windows, maps and comparisons work on ordinary integers. Never compare wire values directly.
 */
export class Unwrapper {
  private last: number | undefined;

  constructor(private readonly bits: 16 | 32) {}

  /** Maps a wire value onto the number line closest to the last value seen. */
  unwrap(wire: number): number {
    const last = this.last;
    if (last === undefined) {
      this.last = wire;
      return wire;
    }
    const value = last + this.delta(wire, last);
    if (value > last) this.last = value;
    return value;
  }

  /** Like unwrap, without moving the reference point. */
  peek(wire: number): number {
    const last = this.last;
    return last === undefined ? wire : last + this.delta(wire, last);
  }

  /** Sets the reference to an unwrapped value (e.g. after a reset). */
  reset(value: number | undefined): void {
    this.last = value;
  }

  private delta(wire: number, last: number): number {
    if (this.bits === 32) return (wire - (last % 0x100000000)) | 0;
    return (((wire - (last % 0x10000)) << 16) >> 16) | 0;
  }
}

export const wrap32 = (n: number): number => n % 0x100000000;
export const wrap16 = (n: number): number => n % 0x10000;

/** RFC 1982 comparison of two 32-bit wire values: a < b. */
export function tsnLessThan(a: number, b: number): boolean {
  return a !== b && ((b - a) | 0) > 0;
}
