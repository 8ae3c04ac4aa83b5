import { type Cipher, createCipheriv } from 'node:crypto';

/**
 * Counter-mode keystream from one long-lived AES-ECB context: the counter blocks of a whole packet
 * are written into a reused buffer and encrypted with a single `update` call. Creating a CTR cipher
 * per packet costs several microseconds in Node; this costs one native call.
 */
export class CounterKeystream {
  private readonly ecb: Cipher;
  private counters: Uint8Array;
  private view: DataView;
  /** Blocks whose first three words already hold `iv0..iv2` (consecutive packets of one SSRC share them). */
  private filled = 0;
  private iv0 = 0;
  private iv1 = 0;
  private iv2 = 0;

  constructor(key: Uint8Array) {
    this.ecb = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
    this.counters = new Uint8Array(0);
    this.view = new DataView(this.counters.buffer);
    this.grow(96);
  }

  private grow(blocks: number): void {
    this.counters = new Uint8Array(blocks * 16);
    this.view = new DataView(this.counters.buffer);
    this.filled = 0;
  }

  /**
   * Encrypts `blocks` counter blocks: the 16-byte block `iv0..iv3` (four big-endian words) with
   * `first + j` added to its last word. Callers keep that addition carry-free (the low counter bits
   * of an RFC 3711 / RFC 7714 IV are zero).
   */
  generate(iv0: number, iv1: number, iv2: number, iv3: number, first: number, blocks: number): Uint8Array {
    if (blocks * 16 > this.counters.length) this.grow(blocks);
    const v = this.view;
    if (iv0 !== this.iv0 || iv1 !== this.iv1 || iv2 !== this.iv2) {
      this.iv0 = iv0;
      this.iv1 = iv1;
      this.iv2 = iv2;
      this.filled = 0;
    }
    for (let j = this.filled, at = j * 16; j < blocks; j++, at += 16) {
      v.setUint32(at, iv0);
      v.setUint32(at + 4, iv1);
      v.setUint32(at + 8, iv2);
    }
    if (blocks > this.filled) this.filled = blocks;
    for (let j = 0, at = 12; j < blocks; j++, at += 16) v.setUint32(at, (iv3 + first + j) >>> 0);
    return this.ecb.update(this.counters.subarray(0, blocks * 16));
  }
}

/** XORs `length` bytes of `keystream` (from `ksOffset`) into `data` at `offset`. */
export function xorInto(
  data: Uint8Array,
  offset: number,
  keystream: Uint8Array,
  ksOffset: number,
  length: number,
): void {
  let i = 0;
  // Word-wise when both sides are 4-byte aligned, which pooled Buffers and RTP headers make typical.
  if (
    ((data.byteOffset + offset) & 3) === 0 &&
    ((keystream.byteOffset + ksOffset) & 3) === 0 &&
    length >= 16
  ) {
    const words = length >>> 2;
    const d = new Int32Array(data.buffer, data.byteOffset + offset, words);
    const k = new Int32Array(keystream.buffer, keystream.byteOffset + ksOffset, words);
    for (let w = 0; w < words; w++) d[w]! ^= k[w]!;
    i = words << 2;
  }
  for (; i < length; i++) data[offset + i]! ^= keystream[ksOffset + i]!;
}
