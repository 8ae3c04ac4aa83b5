/**
 * GHASH (NIST SP 800-38D 6.4) in JS with per-key tables: one 256-entry table per byte position
 * holds byte * x^(8p) * H, so a block multiply is 16 lookups and XORs. Blocks are read as native
 * little-endian 32-bit words straight from the packet buffer; the tables are stored in that same
 * word layout, so no byte swapping happens per block. 64 KiB per key.
 */
export class Ghash {
  /** Entry (p * 256 + b) * 4 .. + 3: byte b at block position p, times H; one cache line per lookup. */
  private readonly table = new Int32Array(16 * 256 * 4);
  /** Running hash in the little-endian word layout. */
  y0 = 0;
  y1 = 0;
  y2 = 0;
  y3 = 0;

  constructor(h: Uint8Array) {
    // V[k] = H * x^k in GCM's bit order, as big-endian words (SP 800-38D 6.3, "rightshift").
    const v = new Int32Array(128 * 4);
    let w0 = beWord(h, 0);
    let w1 = beWord(h, 4);
    let w2 = beWord(h, 8);
    let w3 = beWord(h, 12);
    for (let k = 0; k < 128; k++) {
      v[k * 4] = bswap(w0);
      v[k * 4 + 1] = bswap(w1);
      v[k * 4 + 2] = bswap(w2);
      v[k * 4 + 3] = bswap(w3);
      const carry = w3 & 1;
      w3 = (w3 >>> 1) | (w2 << 31);
      w2 = (w2 >>> 1) | (w1 << 31);
      w1 = (w1 >>> 1) | (w0 << 31);
      w0 = w0 >>> 1;
      if (carry) w0 ^= 0xe1000000;
    }
    for (let p = 0; p < 16; p++) {
      for (let b = 1; b < 256; b++) {
        const low = b & -b;
        const bit = 7 - (31 - Math.clz32(low));
        const t = (p * 256 + b) * 4;
        const prev = (p * 256 + (b ^ low)) * 4;
        const src = (p * 8 + bit) * 4;
        for (let q = 0; q < 4; q++) this.table[t + q] = this.table[prev + q]! ^ v[src + q]!;
      }
    }
  }

  reset(): void {
    this.y0 = this.y1 = this.y2 = this.y3 = 0;
  }

  /** Absorbs `blocks` 16-byte blocks from `words` starting at word index `at`. */
  update(words: Int32Array, at: number, blocks: number): void {
    const t = this.table;
    let y0 = this.y0;
    let y1 = this.y1;
    let y2 = this.y2;
    let y3 = this.y3;
    for (let end = at + blocks * 4; at < end; at += 4) {
      const x0 = y0 ^ words[at]!;
      const x1 = y1 ^ words[at + 1]!;
      const x2 = y2 ^ words[at + 2]!;
      const x3 = y3 ^ words[at + 3]!;
      let i = (x0 & 255) << 2;
      y0 = t[i]!;
      y1 = t[i + 1]!;
      y2 = t[i + 2]!;
      y3 = t[i + 3]!;
      i = (256 | ((x0 >>> 8) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (512 | ((x0 >>> 16) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (768 | (x0 >>> 24)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (1024 | (x1 & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (1280 | ((x1 >>> 8) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (1536 | ((x1 >>> 16) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (1792 | (x1 >>> 24)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (2048 | (x2 & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (2304 | ((x2 >>> 8) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (2560 | ((x2 >>> 16) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (2816 | (x2 >>> 24)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (3072 | (x3 & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (3328 | ((x3 >>> 8) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (3584 | ((x3 >>> 16) & 255)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
      i = (3840 | (x3 >>> 24)) << 2;
      y0 ^= t[i]!;
      y1 ^= t[i + 1]!;
      y2 ^= t[i + 2]!;
      y3 ^= t[i + 3]!;
    }
    this.y0 = y0;
    this.y1 = y1;
    this.y2 = y2;
    this.y3 = y3;
  }
}

function beWord(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

function bswap(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
