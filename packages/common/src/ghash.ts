/**
 * Constant-time GHASH (NIST SP 800-38D 6.4) in JS.
 *
 * Why constant-time: there is no table indexed by data and no branch on data. Every step is a
 * fixed sequence of AND, XOR, OR, shifts and `Math.imul` on int32 values, and V8 compiles
 * `Math.imul` of int32 operands to the CPU's integer multiply, whose latency does not depend on the
 * operand values on the x86-64 and AArch64 cores Node runs on. The only typed-array reads are the
 * input blocks (at positions fixed by the packet length) and the per-key pieces of H at constant
 * indices. A table-driven GHASH, by contrast, reads memory at addresses derived from the hash state
 * and leaks it through the cache (the classic GCM table side channel). Caveat: this holds for
 * optimised code, where all values are untagged int32; before V8 optimises the function (its first
 * few hundred blocks), the interpreter boxes int32s outside the small-integer range as heap
 * numbers, so warm-up timing can depend on values. That is true of any JS arithmetic.
 *
 * Carry-less multiplication "with holes": a 16-bit operand is split into three masks that keep the
 * bits whose index is 0, 1 or 2 mod 3. The integer product of two such pieces has at most six
 * partial products landing on any bit position, and 6 < 2^3, so each column's count fits in its
 * own bit and the two unused ones above it without reaching the next used one: bit k of the
 * product, for k in the right residue class, is the XOR of the partial products. Nine `Math.imul`s and three
 * masks give a 16x16 -> 32-bit carry-less product exactly (it fits in `imul`'s 32-bit result).
 * Karatsuba (three products per halving instead of four) builds 32x32, 64x64 and 128x128 from
 * that: 27 16-bit products per block instead of 64. Four blocks at a time are multiplied by H^4,
 * H^3, H^2 and H and summed before masking, combining and reducing, which are then done once.
 *
 * Bit order: GCM's first bit is the coefficient of x^0. Reading a block as a big-endian 128-bit
 * integer therefore stores the polynomial bit-reflected; the carry-less product of two reflected
 * values is the reflected product shifted right by one, so one left shift fixes it, and the
 * reduction modulo x^128 + x^7 + x^2 + x + 1 becomes right shifts by 1, 2 and 7 (done in two
 * phases so the bits that fall off the end are folded back too).
 */

/** Bits 0, 3, 6, ... 15 / 1, 4, ... 13 / 2, 5, ... 14 of a 16-bit piece. */
const P0 = 0x9249;
const P1 = 0x2492;
const P2 = 0x4924;
/** Result bits whose index is 0 / 1 / 2 mod 3 (32-bit). */
const R0 = 0x49249249;
const R1 = 0x92492492 | 0;
const R2 = 0x24924924;

/**
 * The nine carry-less 32x32 -> 64 products of a two-level (128 -> 64 -> 32) Karatsuba split, each
 * itself Karatsuba over 16-bit halves, summed over `count` blocks: block b's words `v[9b..9b+9)`
 * times the words of H^(count - b + shift), whose pieces start at `h[81 (count - 1 - b + shift)]`
 * (`shift` is 0 or 1, public). Results go to
 * `out[2g]` (high) and `out[2g + 1]` (low). Pieces of classes i and j multiply into class
 * (i + j) mod 3; the class sums are XORed over the blocks before masking, since XOR keeps the
 * parity at the used bit positions whatever the unused ones hold. Loop bounds are public.
 */
function products(v: Int32Array, count: number, shift: number, h: Int32Array, out: Int32Array): void {
  for (let g = 0; g < 9; g++) {
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    for (let b = 0; b < count; b++) {
      const x = v[9 * b + g]!;
      const at = 81 * (count - 1 - b + shift) + 9 * g;
      const hi = x >>> 16;
      const lo = x & 0xffff;
      const mid = hi ^ lo;
      const px0 = hi & P0;
      const px1 = hi & P1;
      const px2 = hi & P2;
      const ph0 = h[at + 0]!;
      const ph1 = h[at + 1]!;
      const ph2 = h[at + 2]!;
      p0 ^= Math.imul(px0, ph0) ^ Math.imul(px1, ph2) ^ Math.imul(px2, ph1);
      p1 ^= Math.imul(px0, ph1) ^ Math.imul(px1, ph0) ^ Math.imul(px2, ph2);
      p2 ^= Math.imul(px0, ph2) ^ Math.imul(px1, ph1) ^ Math.imul(px2, ph0);
      const qx0 = lo & P0;
      const qx1 = lo & P1;
      const qx2 = lo & P2;
      const qh0 = h[at + 3]!;
      const qh1 = h[at + 4]!;
      const qh2 = h[at + 5]!;
      q0 ^= Math.imul(qx0, qh0) ^ Math.imul(qx1, qh2) ^ Math.imul(qx2, qh1);
      q1 ^= Math.imul(qx0, qh1) ^ Math.imul(qx1, qh0) ^ Math.imul(qx2, qh2);
      q2 ^= Math.imul(qx0, qh2) ^ Math.imul(qx1, qh1) ^ Math.imul(qx2, qh0);
      const rx0 = mid & P0;
      const rx1 = mid & P1;
      const rx2 = mid & P2;
      const rh0 = h[at + 6]!;
      const rh1 = h[at + 7]!;
      const rh2 = h[at + 8]!;
      r0 ^= Math.imul(rx0, rh0) ^ Math.imul(rx1, rh2) ^ Math.imul(rx2, rh1);
      r1 ^= Math.imul(rx0, rh1) ^ Math.imul(rx1, rh0) ^ Math.imul(rx2, rh2);
      r2 ^= Math.imul(rx0, rh2) ^ Math.imul(rx1, rh1) ^ Math.imul(rx2, rh0);
    }
    const p = (p0 & R0) | (p1 & R1) | (p2 & R2);
    const q = (q0 & R0) | (q1 & R1) | (q2 & R2);
    const m = ((r0 & R0) | (r1 & R1) | (r2 & R2)) ^ p ^ q;
    out[2 * g] = p ^ (m >>> 16);
    out[2 * g + 1] = q ^ (m << 16);
  }
}

/** The nine 32-bit operands of a two-level (128 -> 64 -> 32) Karatsuba split of `w0..w3`. */
function karatsubaWords(w0: number, w1: number, w2: number, w3: number, out: Int32Array, o: number): void {
  const m0 = w0 ^ w2;
  const m1 = w1 ^ w3;
  out[o] = w0;
  out[o + 1] = w1;
  out[o + 2] = w0 ^ w1;
  out[o + 3] = w2;
  out[o + 4] = w3;
  out[o + 5] = w2 ^ w3;
  out[o + 6] = m0;
  out[o + 7] = m1;
  out[o + 8] = m0 ^ m1;
}

/** Writes H's 27 Karatsuba pieces, each pre-split into its three class masks, to `h[o..o+81)`. */
function splitH(w0: number, w1: number, w2: number, w3: number, h: Int32Array, o: number): void {
  const words = new Int32Array(9);
  karatsubaWords(w0, w1, w2, w3, words, 0);
  for (let g = 0; g < 9; g++) {
    const hi = words[g]! >>> 16;
    const lo = words[g]! & 0xffff;
    const pieces = [hi, lo, hi ^ lo];
    for (let k = 0; k < 3; k++) {
      const at = o + 9 * g + 3 * k;
      h[at] = pieces[k]! & P0;
      h[at + 1] = pieces[k]! & P1;
      h[at + 2] = pieces[k]! & P2;
    }
  }
}

/**
 * Blocks per aggregated step: Y' = (Y + X1) H^4 + X2 H^3 + X3 H^2 + X4 H, one reduction (a last,
 * shorter group uses the lower powers the same way).
 */
const GROUP = 4;

export class Ghash {
  /** Pieces of H, H^2, ..., H^5 (81 each); H^5 serves a last group shifted by one power. */
  private readonly h = new Int32Array(81 * (GROUP + 1));
  private readonly v = new Int32Array(9 * GROUP);
  private readonly w = new Int32Array(18);
  private readonly z = new Int32Array(12);
  /** The hash between calls, as big-endian words. */
  private readonly y = new Int32Array(4);
  /** Running hash in the host's little-endian word layout (bytes as they sit in memory). */
  y0 = 0;
  y1 = 0;
  y2 = 0;
  y3 = 0;

  constructor(hashSubkey: Uint8Array) {
    const y = this.y;
    y[0] = beWord(hashSubkey, 0);
    y[1] = beWord(hashSubkey, 4);
    y[2] = beWord(hashSubkey, 8);
    y[3] = beWord(hashSubkey, 12);
    splitH(y[0]!, y[1]!, y[2]!, y[3]!, this.h, 0);
    for (let power = 1; power <= GROUP; power++) {
      // H^(power + 1) = H^power * H.
      karatsubaWords(y[0]!, y[1]!, y[2]!, y[3]!, this.v, 0);
      this.multiply(1, 0);
      splitH(y[0]!, y[1]!, y[2]!, y[3]!, this.h, 81 * power);
    }
    this.reset();
  }

  reset(): void {
    this.y0 = this.y1 = this.y2 = this.y3 = 0;
  }

  /**
   * Absorbs `blocks` 16-byte blocks from `words` (little-endian host words) starting at word `at`.
   * With `extra` 1 the result is multiplied by H once more, for free: the last group uses powers
   * one higher. A caller that knows its final block X in advance (GCM's lengths block) can then
   * skip it and XOR in X * H, since GHASH(..., X) = GHASH(...) * H + X * H. (`extra` needs at
   * least one block to ride on.)
   */
  update(words: Int32Array, at: number, blocks: number, extra = 0): void {
    const y = this.y;
    const v = this.v;
    y[0] = bswap(this.y0);
    y[1] = bswap(this.y1);
    y[2] = bswap(this.y2);
    y[3] = bswap(this.y3);
    // Groups of GROUP blocks, the last one shorter; the group sizes depend only on the length.
    for (let done = 0; done < blocks; ) {
      const count = Math.min(GROUP, blocks - done);
      karatsubaWords(
        y[0]! ^ bswap(words[at]!),
        y[1]! ^ bswap(words[at + 1]!),
        y[2]! ^ bswap(words[at + 2]!),
        y[3]! ^ bswap(words[at + 3]!),
        v,
        0,
      );
      for (let b = 1; b < count; b++) {
        const o = at + 4 * b;
        karatsubaWords(
          bswap(words[o]!),
          bswap(words[o + 1]!),
          bswap(words[o + 2]!),
          bswap(words[o + 3]!),
          v,
          9 * b,
        );
      }
      // Lengths are public: whether this is the last group depends on them alone.
      this.multiply(count, extra * Number(done + count === blocks));
      done += count;
      at += 4 * count;
    }
    this.y0 = bswap(y[0]!);
    this.y1 = bswap(y[1]!);
    this.y2 = bswap(y[2]!);
    this.y3 = bswap(y[3]!);
  }

  /**
   * y = sum of the `count` blocks in `v` times descending powers of H (ending at H^(1 + shift)),
   * reduced (SP 800-38D 6.3).
   */
  private multiply(count: number, shift: number): void {
    const w = this.w;
    const z = this.z;
    products(this.v, count, shift, this.h, w);
    // Undo the outer Karatsuba levels: 32 -> 64 bits (three products), then 64 -> 128.
    for (let g = 0; g < 3; g++) {
      const ah = w[6 * g]!;
      const al = w[6 * g + 1]!;
      const bh = w[6 * g + 2]!;
      const bl = w[6 * g + 3]!;
      z[4 * g] = ah;
      z[4 * g + 1] = al ^ w[6 * g + 4]! ^ ah ^ bh;
      z[4 * g + 2] = bh ^ w[6 * g + 5]! ^ al ^ bl;
      z[4 * g + 3] = bl;
    }
    const a0 = z[0]!;
    const a1 = z[1]!;
    const a2 = z[2]!;
    const a3 = z[3]!;
    const b0 = z[4]!;
    const b1 = z[5]!;
    const b2 = z[6]!;
    const b3 = z[7]!;
    const m0 = z[8]! ^ a0 ^ b0;
    const m1 = z[9]! ^ a1 ^ b1;
    const m2 = z[10]! ^ a2 ^ b2;
    const m3 = z[11]! ^ a3 ^ b3;
    // The 256-bit reflected product, words high to low.
    let p0 = a0;
    let p1 = a1;
    let p2 = a2 ^ m0;
    let p3 = a3 ^ m1;
    let p4 = b0 ^ m2;
    let p5 = b1 ^ m3;
    let p6 = b2;
    let p7 = b3;
    // Reflected operands: the true product is one bit to the left.
    p0 = (p0 << 1) | (p1 >>> 31);
    p1 = (p1 << 1) | (p2 >>> 31);
    p2 = (p2 << 1) | (p3 >>> 31);
    p3 = (p3 << 1) | (p4 >>> 31);
    p4 = (p4 << 1) | (p5 >>> 31);
    p5 = (p5 << 1) | (p6 >>> 31);
    p6 = (p6 << 1) | (p7 >>> 31);
    p7 <<= 1;
    // p4..p7 hold x^128..x^255; x^128 = x^7 + x^2 + x + 1. Phase one folds the bits that the
    // shifts below would push past x^255 back to the top.
    p4 ^= (p7 << 31) ^ (p7 << 30) ^ (p7 << 25);
    // Phase two: p ^ p>>1 ^ p>>2 ^ p>>7 into the low-degree half.
    const y = this.y;
    y[0] = p0 ^ p4 ^ (p4 >>> 1) ^ (p4 >>> 2) ^ (p4 >>> 7);
    y[1] = p1 ^ p5 ^ (p5 >>> 1) ^ (p4 << 31) ^ (p5 >>> 2) ^ (p4 << 30) ^ (p5 >>> 7) ^ (p4 << 25);
    y[2] = p2 ^ p6 ^ (p6 >>> 1) ^ (p5 << 31) ^ (p6 >>> 2) ^ (p5 << 30) ^ (p6 >>> 7) ^ (p5 << 25);
    y[3] = p3 ^ p7 ^ (p7 >>> 1) ^ (p6 << 31) ^ (p7 >>> 2) ^ (p6 << 30) ^ (p7 >>> 7) ^ (p6 << 25);
  }
}

function beWord(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

function bswap(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
