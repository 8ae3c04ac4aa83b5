/**
 * CRC32c (Castagnoli), the SCTP checksum (RFC 9260 Appendix B), computed slicing-by-8: eight
 * 256-entry tables let the loop consume 8 bytes per iteration instead of one, which measured
 * about 4x faster than the bytewise table on Node 20 (see bench/sctp.bench.ts).
 */

const POLY_REFLECTED = 0x82f63b78;

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = t[i]!;
    for (let s = 1; s < 8; s++) {
      c = (c >>> 8) ^ t[c & 0xff]!;
      t[s * 256 + i] = c >>> 0;
    }
  }
  return t;
}

const T = buildTables();

/** Continues a CRC32c over `data[start, end)`; pass the previous result as `crc` (0 to begin). */
export function crc32c(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  let c = ~crc >>> 0;
  let i = start;
  const fast = end - ((end - i) & 7);
  while (i < fast) {
    const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    const b = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    c =
      T[7 * 256 + (a & 0xff)]! ^
      T[6 * 256 + ((a >>> 8) & 0xff)]! ^
      T[5 * 256 + ((a >>> 16) & 0xff)]! ^
      T[4 * 256 + (a >>> 24)]! ^
      T[3 * 256 + (b & 0xff)]! ^
      T[2 * 256 + ((b >>> 8) & 0xff)]! ^
      T[256 + ((b >>> 16) & 0xff)]! ^
      T[(b >>> 24) & 0xff]!;
    i += 8;
  }
  while (i < end) {
    c = (c >>> 8) ^ T[(c ^ data[i]!) & 0xff]!;
    i++;
  }
  return ~c >>> 0;
}

/** The bytewise reference, kept for tests and the benchmark comparison. */
export function crc32cBytewise(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = (c >>> 8) ^ T[(c ^ data[i]!) & 0xff]!;
  return ~c >>> 0;
}
