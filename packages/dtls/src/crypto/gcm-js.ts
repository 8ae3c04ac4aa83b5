import { timingSafeEqual } from 'node:crypto';
import { GcmNonceKeystream, Ghash } from '@purertc/common';

const TAG_LENGTH = 16;
const EXPLICIT_NONCE_LENGTH = 8;
const HEADER_LENGTH = 13;
/** RFC 6347 4.1.2.1 / RFC 5246 6.2.3.3: the AAD is epoch(2) seq(6) type(1) version(2) length(2). */
const AAD_LENGTH = 13;

/**
 * AES-GCM record protection for DTLS 1.2 (RFC 5288 3, RFC 6347 4.1.2.1) without a cipher object
 * per record, for records up to `maxPlaintext` bytes: the CTR keystream and tag mask E(K, J0) come
 * from a long-lived AES-ECB context in batches of consecutive explicit nonces
 * (`GcmNonceKeystream`), and GHASH runs in constant-time JS (`Ghash`) over a staging buffer that
 * holds the AAD block and the data as aligned blocks. Node's GCM costs a fixed few microseconds per
 * record for its cipher object, the JS GHASH costs per block, so larger records stay on Node.
 * The nonce is salt(4) || nonce_explicit(8); we write epoch || seq as nonce_explicit (unique per
 * key, RFC 5288 3), so a sender's nonces are consecutive and nearly every record finds its
 * keystream ready.
 */
export class Dtls12GcmJs {
  private readonly keystream: GcmNonceKeystream;
  private readonly ghash: Ghash;
  private readonly salt: number;
  /** AAD block, then the data from byte 16, then one spare block. */
  private readonly stageWords: Int32Array;
  private readonly stageBytes: Uint8Array;
  /** L * H per plaintext length (host words), L = [104]64 || [8 length]64; a few lengths recur. */
  private readonly products = new Map<number, Int32Array>();
  private readonly tagWords = new Int32Array(4);
  private readonly tag = new Uint8Array(this.tagWords.buffer);

  constructor(
    key: Uint8Array,
    salt: Uint8Array,
    readonly maxPlaintext: number,
  ) {
    this.keystream = new GcmNonceKeystream(key, 1 + Math.ceil(maxPlaintext / 16));
    this.ghash = new Ghash(this.keystream.hashSubkey());
    this.salt = ((salt[0]! << 24) | (salt[1]! << 16) | (salt[2]! << 8) | salt[3]!) >>> 0;
    this.stageWords = new Int32Array(4 + 4 * Math.ceil(maxPlaintext / 16) + 4);
    this.stageBytes = new Uint8Array(this.stageWords.buffer);
  }

  /** Writes the AAD into the stage's first block (its last three bytes zero). */
  private stageAad(type: number, version: number, epoch: number, seq: number, length: number): void {
    const b = this.stageBytes;
    writeEpochSeq(b, 0, epoch, seq);
    b[8] = type;
    b[9] = version >>> 8;
    b[10] = version & 0xff;
    b[11] = length >>> 8;
    b[12] = length & 0xff;
    b[13] = 0;
    b[14] = 0;
    b[15] = 0;
  }

  /** XORs the data keystream over the staged data. */
  private crypt(length: number): void {
    const d = this.stageWords;
    const k = this.keystream.words;
    const ks = this.keystream.offset + 4;
    const words = (length + 3) >>> 2;
    for (let i = 0; i < words; i++) d[4 + i]! ^= k[ks + i]!;
  }

  /**
   * The tag (SP 800-38D 7.1) over the staged AAD and ciphertext. L is public, so rather than
   * hashing it the last group is multiplied by H once more and L * H comes from a per-length cache.
   */
  private computeTag(length: number): Uint8Array {
    const end = 16 + ((length + 15) & ~15);
    this.stageBytes.fill(0, 16 + length, end);
    const g = this.ghash;
    const p = this.lengthsTimesH(length);
    g.reset();
    g.update(this.stageWords, 0, end >>> 4, 1);
    const k = this.keystream.words;
    const m = this.keystream.offset;
    this.tagWords[0] = g.y0 ^ p[0]! ^ k[m]!;
    this.tagWords[1] = g.y1 ^ p[1]! ^ k[m + 1]!;
    this.tagWords[2] = g.y2 ^ p[2]! ^ k[m + 2]!;
    this.tagWords[3] = g.y3 ^ p[3]! ^ k[m + 3]!;
    return this.tag;
  }

  /** L * H for this (public) plaintext length, computed on first use. */
  private lengthsTimesH(length: number): Int32Array {
    let product = this.products.get(length);
    if (!product) {
      const block = new Uint8Array(16);
      block[7] = AAD_LENGTH * 8;
      const bits = length * 8;
      block[13] = bits >>> 16;
      block[14] = (bits >>> 8) & 0xff;
      block[15] = bits & 0xff;
      this.ghash.reset();
      this.ghash.update(new Int32Array(block.buffer), 0, 1);
      product = Int32Array.of(this.ghash.y0, this.ghash.y1, this.ghash.y2, this.ghash.y3);
      this.products.set(length, product);
    }
    return product;
  }

  /** The whole protected record, header included; the caller keeps `plaintext.length <= maxPlaintext`. */
  seal(type: number, version: number, epoch: number, seq: number, plaintext: Uint8Array): Buffer {
    const length = plaintext.length;
    // nonce_explicit = epoch || seq: words n1 = epoch || seq's high 16 bits, n2 = its low 32 bits.
    this.keystream.find(
      this.salt,
      ((epoch << 16) | Math.floor(seq / 0x100000000)) >>> 0,
      seq >>> 0,
      1 + ((length + 15) >>> 4),
    );
    this.stageAad(type, version, epoch, seq, length);
    this.stageBytes.set(plaintext, 16);
    this.crypt(length);
    const bodyLength = EXPLICIT_NONCE_LENGTH + length + TAG_LENGTH;
    const out = Buffer.allocUnsafe(HEADER_LENGTH + bodyLength);
    out[0] = type;
    out[1] = version >>> 8;
    out[2] = version & 0xff;
    writeEpochSeq(out, 3, epoch, seq);
    out[11] = bodyLength >>> 8;
    out[12] = bodyLength & 0xff;
    // The explicit nonce is the same epoch || seq bytes.
    out.copyWithin(HEADER_LENGTH, 3, 11);
    const ciphertextAt = HEADER_LENGTH + EXPLICIT_NONCE_LENGTH;
    out.set(this.stageBytes.subarray(16, 16 + length), ciphertextAt);
    out.set(this.computeTag(length), ciphertextAt + length);
    return out;
  }

  /**
   * The plaintext of `fragment` (nonce_explicit || ciphertext || tag), or undefined when it does
   * not authenticate; the caller keeps the plaintext length within `maxPlaintext`.
   */
  open(type: number, version: number, epoch: number, seq: number, fragment: Uint8Array): Buffer | undefined {
    const length = fragment.length - EXPLICIT_NONCE_LENGTH - TAG_LENGTH;
    if (length < 0 || length > this.maxPlaintext) return undefined;
    const n1 = ((fragment[0]! << 24) | (fragment[1]! << 16) | (fragment[2]! << 8) | fragment[3]!) >>> 0;
    const n2 = ((fragment[4]! << 24) | (fragment[5]! << 16) | (fragment[6]! << 8) | fragment[7]!) >>> 0;
    this.keystream.find(this.salt, n1, n2, 1 + ((length + 15) >>> 4));
    this.stageAad(type, version, epoch, seq, length);
    this.stageBytes.set(fragment.subarray(EXPLICIT_NONCE_LENGTH, EXPLICIT_NONCE_LENGTH + length), 16);
    const tag = this.computeTag(length);
    if (!timingSafeEqual(tag, fragment.subarray(EXPLICIT_NONCE_LENGTH + length))) return undefined;
    this.crypt(length);
    const out = Buffer.allocUnsafe(length);
    out.set(this.stageBytes.subarray(16, 16 + length));
    // The caller owns the plaintext now; the long-lived stage keeps no copy of it.
    this.stageBytes.fill(0, 16, 16 + ((length + 15) & ~15));
    return out;
  }
}

/** epoch(2) || seq(6), big-endian (seq < 2^48). */
function writeEpochSeq(b: Uint8Array, at: number, epoch: number, seq: number): void {
  const hi = Math.floor(seq / 0x100000000);
  const lo = seq >>> 0;
  b[at] = epoch >>> 8;
  b[at + 1] = epoch & 0xff;
  b[at + 2] = hi >>> 8;
  b[at + 3] = hi & 0xff;
  b[at + 4] = lo >>> 24;
  b[at + 5] = (lo >>> 16) & 0xff;
  b[at + 6] = (lo >>> 8) & 0xff;
  b[at + 7] = lo & 0xff;
}
