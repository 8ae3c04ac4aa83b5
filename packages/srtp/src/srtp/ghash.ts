/**
 * Constant-time GHASH (NIST SP 800-38D 6.4) in JS.
 *
 * Why constant-time: there is no table indexed by data and no branch on data. Every step is a
 * fixed sequence of AND, XOR, OR, shifts and `Math.imul` on int32 values, and V8 compiles
 * `Math.imul` of int32 operands to the CPU's integer multiply, whose latency does not depend on the
 * operand values on the x86-64 and AArch64 cores Node runs on. The only typed-array reads are the
 * input blocks (at positions fixed by the packet length) and the per-key pieces of H at constant
 * indices. A table-driven GHASH, by contrast, reads memory at addresses derived from the hash state
 * and leaks it through the cache (the classic GCM table side channel).
 *
 * Carry-less multiplication "with holes": a 16-bit operand is split into three masks that keep the
 * bits whose index is 0, 1 or 2 mod 3. The integer product of two such pieces has at most six
 * partial products landing on any bit position, and 6 < 2^3, so each column's count fits in the
 * two unused bit positions above it without reaching the next used one: bit k of the product, for
 * k in the right residue class, is the XOR of the partial products. Nine `Math.imul`s and three
 * masks give a 16x16 -> 32-bit carry-less product exactly (it fits in `imul`'s 32-bit result).
 * Karatsuba (three products per halving instead of four) builds 32x32, 64x64 and 128x128 from
 * that: 27 16-bit products per block instead of 64.
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

/** Carry-less 16x16 -> 32 product of `x` and the piece of H pre-split at `h[at..at+3)`. */
function clmul16(x: number, h: Int32Array, at: number): number {
  const x0 = x & P0;
  const x1 = x & P1;
  const x2 = x & P2;
  const h0 = h[at]!;
  const h1 = h[at + 1]!;
  const h2 = h[at + 2]!;
  // Pieces of classes i and j multiply into class (i + j) mod 3.
  return (
    ((Math.imul(x0, h0) ^ Math.imul(x1, h2) ^ Math.imul(x2, h1)) & R0) |
    ((Math.imul(x0, h1) ^ Math.imul(x1, h0) ^ Math.imul(x2, h2)) & R1) |
    ((Math.imul(x0, h2) ^ Math.imul(x1, h1) ^ Math.imul(x2, h0)) & R2)
  );
}

/**
 * The nine carry-less 32x32 -> 64 products of a two-level Karatsuba split of X by the matching
 * words of H (each itself Karatsuba over 16-bit halves): `v[g]` times H's word g, as the high and
 * low words `out[2g]`, `out[2g + 1]`. The loop bounds are fixed; nothing depends on the data.
 */
function products(v: Int32Array, h: Int32Array, out: Int32Array): void {
  for (let g = 0, at = 0; g < 9; g++, at += 9) {
    const x = v[g]!;
    const xh = x >>> 16;
    const xl = x & 0xffff;
    const p = clmul16(xh, h, at);
    const q = clmul16(xl, h, at + 3);
    const m = clmul16(xh ^ xl, h, at + 6) ^ p ^ q;
    out[2 * g] = p ^ (m >>> 16);
    out[2 * g + 1] = q ^ (m << 16);
  }
}

/** The nine 32-bit operands of a two-level (128 -> 64 -> 32) Karatsuba split of `w0..w3`. */
function karatsubaWords(w0: number, w1: number, w2: number, w3: number, out: Int32Array): void {
  const m0 = w0 ^ w2;
  const m1 = w1 ^ w3;
  out[0] = w0;
  out[1] = w1;
  out[2] = w0 ^ w1;
  out[3] = w2;
  out[4] = w3;
  out[5] = w2 ^ w3;
  out[6] = m0;
  out[7] = m1;
  out[8] = m0 ^ m1;
}

/** H's Karatsuba pieces, each pre-split into its three class masks. */
function splitH(w0: number, w1: number, w2: number, w3: number): Int32Array {
  const words = new Int32Array(9);
  karatsubaWords(w0, w1, w2, w3, words);
  const h = new Int32Array(81);
  for (let g = 0; g < 9; g++) {
    const hi = words[g]! >>> 16;
    const lo = words[g]! & 0xffff;
    const pieces = [hi, lo, hi ^ lo];
    for (let k = 0; k < 3; k++) {
      const at = 9 * g + 3 * k;
      h[at] = pieces[k]! & P0;
      h[at + 1] = pieces[k]! & P1;
      h[at + 2] = pieces[k]! & P2;
    }
  }
  return h;
}

export class Ghash {
  private readonly h: Int32Array;
  private readonly v = new Int32Array(9);
  private readonly w = new Int32Array(18);
  private readonly z = new Int32Array(12);
  /** Running hash in the host's little-endian word layout (bytes as they sit in memory). */
  y0 = 0;
  y1 = 0;
  y2 = 0;
  y3 = 0;

  constructor(hashSubkey: Uint8Array) {
    this.h = splitH(
      beWord(hashSubkey, 0),
      beWord(hashSubkey, 4),
      beWord(hashSubkey, 8),
      beWord(hashSubkey, 12),
    );
  }

  reset(): void {
    this.y0 = this.y1 = this.y2 = this.y3 = 0;
  }

  /** Absorbs `blocks` 16-byte blocks from `words` (little-endian host words) starting at word `at`. */
  update(words: Int32Array, at: number, blocks: number): void {
    const h = this.h;
    const v = this.v;
    const w = this.w;
    const z = this.z;
    let y0 = bswap(this.y0);
    let y1 = bswap(this.y1);
    let y2 = bswap(this.y2);
    let y3 = bswap(this.y3);
    for (let end = at + blocks * 4; at < end; at += 4) {
      const x0 = y0 ^ bswap(words[at]!);
      const x1 = y1 ^ bswap(words[at + 1]!);
      const x2 = y2 ^ bswap(words[at + 2]!);
      const x3 = y3 ^ bswap(words[at + 3]!);
      karatsubaWords(x0, x1, x2, x3, v);
      products(v, h, w);
      // Undo the outer Karatsuba levels: 32 -> 64 bits (three products), then 64 -> 128.
      for (let g = 0, at = 0; g < 3; g++, at += 6) {
        const ah = w[at]!;
        const al = w[at + 1]!;
        const bh = w[at + 2]!;
        const bl = w[at + 3]!;
        z[4 * g] = ah;
        z[4 * g + 1] = al ^ w[at + 4]! ^ ah ^ bh;
        z[4 * g + 2] = bh ^ w[at + 5]! ^ al ^ bl;
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
      y0 = p0 ^ p4 ^ (p4 >>> 1) ^ (p4 >>> 2) ^ (p4 >>> 7);
      y1 = p1 ^ p5 ^ (p5 >>> 1) ^ (p4 << 31) ^ (p5 >>> 2) ^ (p4 << 30) ^ (p5 >>> 7) ^ (p4 << 25);
      y2 = p2 ^ p6 ^ (p6 >>> 1) ^ (p5 << 31) ^ (p6 >>> 2) ^ (p5 << 30) ^ (p6 >>> 7) ^ (p5 << 25);
      y3 = p3 ^ p7 ^ (p7 >>> 1) ^ (p6 << 31) ^ (p7 >>> 2) ^ (p6 << 30) ^ (p7 >>> 7) ^ (p6 << 25);
    }
    this.y0 = bswap(y0);
    this.y1 = bswap(y1);
    this.y2 = bswap(y2);
    this.y3 = bswap(y3);
  }
}

function beWord(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

function bswap(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
