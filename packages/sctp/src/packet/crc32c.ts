/**
 * CRC32c (Castagnoli), the SCTP checksum (RFC 9260 Appendix B), computed slicing-by-16: sixteen
 * 256-entry tables let the loop consume 16 bytes per iteration instead of one. Measured on Node 20
 * against slicing-by-8 (~30% slower) and werift's slicing-by-16 on Uint32Array tables (slower:
 * Int32Array keeps entries small integers for V8 instead of boxed doubles); see
 * bench/sctp.bench.ts.
 */

const POLY_REFLECTED = 0x82f63b78;

function buildTables(): Int32Array[] {
  const t = Array.from({ length: 16 }, () => new Int32Array(256));
  const t0 = t[0]!;
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
    t0[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    let c = t0[i]!;
    for (let s = 1; s < 16; s++) {
      c = (c >>> 8) ^ t0[c & 0xff]!;
      t[s]![i] = c;
    }
  }
  return t;
}

const [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15] = buildTables() as [
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
];

/** Continues a CRC32c over `data[start, end)`; pass the previous result as `crc` (0 to begin). */
export function crc32c(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  let c = ~crc;
  let i = start;
  const fast = end - ((end - i) & 15);
  while (i < fast) {
    c =
      T15[(data[i]! ^ c) & 0xff]! ^
      T14[(data[i + 1]! ^ (c >>> 8)) & 0xff]! ^
      T13[(data[i + 2]! ^ (c >>> 16)) & 0xff]! ^
      T12[(data[i + 3]! ^ (c >>> 24)) & 0xff]! ^
      T11[data[i + 4]!]! ^
      T10[data[i + 5]!]! ^
      T9[data[i + 6]!]! ^
      T8[data[i + 7]!]! ^
      T7[data[i + 8]!]! ^
      T6[data[i + 9]!]! ^
      T5[data[i + 10]!]! ^
      T4[data[i + 11]!]! ^
      T3[data[i + 12]!]! ^
      T2[data[i + 13]!]! ^
      T1[data[i + 14]!]! ^
      T0[data[i + 15]!]!;
    i += 16;
  }
  while (i < end) {
    c = (c >>> 8) ^ T0[(c ^ data[i]!) & 0xff]!;
    i++;
  }
  return ~c >>> 0;
}

/** The bytewise reference, kept for tests. */
export function crc32cBytewise(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = (c >>> 8) ^ T0[(c ^ data[i]!) & 0xff]!;
  return ~c >>> 0;
}
