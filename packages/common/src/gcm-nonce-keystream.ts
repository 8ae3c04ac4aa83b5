import { type Cipher, createCipheriv } from 'node:crypto';
import { endianness } from 'node:os';

/**
 * The JS GCM paths read keystream and GHASH input as host words and byte-swap them as
 * little-endian; on a big-endian host callers keep Node's GCM.
 */
export const canUseJsGcm = endianness() === 'LE';

/** Most nonces per batch: one native call covers up to this many consecutive nonces. */
const BATCH = 32;
/**
 * Keystream blocks a batch may hold (2 KiB): a connection keeps one batch per direction for as
 * long as it lives, so larger records get fewer nonces per batch (a power of two, at least one).
 */
const BATCH_BLOCKS = 128;
/** How far ahead of the last nonce seen a miss still counts as sequential (two batches). */
const SEQUENTIAL_REACH = 2 * BATCH;

/**
 * Counter blocks are staged here before the ECB call. `generate` fills and consumes it
 * synchronously, so every instance can share one buffer instead of keeping a batch-sized one each
 * (a server holds two of these per connection).
 */
let scratch = new Int32Array(0);

/**
 * GCM counter blocks (SP 800-38D 7.1, 96-bit IV: J0 = IV || 1, data counters 2, 3, ...) for the
 * nonces `n0 || n1 || n2` (three big-endian words) with `n2` running over up to 32 consecutive
 * values, from one long-lived AES-ECB context. A native `update` costs about a microsecond whatever
 * its length while AES itself costs a few nanoseconds a block, so one call per 4 to 32 nonces
 * instead of one per record saves most of that. Batches are aligned (`n2` a multiple of the batch's
 * power-of-two count), so a batch never carries into `n1`.
 *
 * Speculation only pays when nonces are sequential (a TLS/DTLS sender numbering its records, as
 * BoringSSL, OpenSSL, werift and we do); for a peer with random explicit nonces a batch would be 32
 * records' AES for one record. So a miss starts a batch only when its nonce follows the previous
 * one closely (same `n0`, `n1`, and `n2` at most two batches ahead); otherwise it gets a keystream
 * of its own (one call, as before) and the current batch is kept, so a record reordered across a
 * batch edge costs one call. Lookups use the nonce only, which is public.
 * Keystream for nonces not yet used sits in process memory, as sensitive as the key already there.
 */
export class GcmNonceKeystream {
  private readonly ecb: Cipher;
  private batchN0 = 0;
  private batchN1 = 0;
  /** First `n2` of the batch (a multiple of `count`), or -1 before the first batch. */
  private batchBase = -1;
  /** Nonces in the batch: BATCH, or fewer for a large stride (see BATCH_BLOCKS). */
  private count = 0;
  /** Keystream blocks per nonce in the batch: E(K, J0) then the data's counter blocks. */
  private stride = 0;
  private batch: Int32Array = new Int32Array(0);
  private lastN0 = 0;
  private lastN1 = 0;
  private lastN2 = -1;
  /** Where the last `find` put the nonce's E(K, J0) in `words` (a word index); data keystream follows. */
  offset = 0;
  /** The last `find`'s keystream as host-order words. */
  words: Int32Array = new Int32Array(0);

  /**
   * `maxBatchedBlocks` bounds the per-nonce stride of a batch (32 nonces of keystream for large
   * records would be a large speculative allocation); longer requests get a keystream of their own.
   */
  constructor(
    key: Uint8Array,
    private readonly maxBatchedBlocks: number,
  ) {
    this.ecb = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  /** H = E(K, 0^128) (SP 800-38D 6.4). */
  hashSubkey(): Uint8Array {
    return Uint8Array.from(this.ecb.update(new Uint8Array(16)));
  }

  /**
   * Points `words`/`offset` at E(K, J0) followed by `blocks - 1` data keystream blocks for the
   * nonce `n0 || n1 || n2` (unsigned 32-bit values).
   */
  find(n0: number, n1: number, n2: number, blocks: number): void {
    const inBatch =
      this.batchBase >= 0 &&
      n0 === this.batchN0 &&
      n1 === this.batchN1 &&
      n2 >= this.batchBase &&
      n2 < this.batchBase + this.count;
    if (!inBatch || blocks > this.stride) {
      const sequential =
        n0 === this.lastN0 && n1 === this.lastN1 && n2 > this.lastN2 && n2 - this.lastN2 <= SEQUENTIAL_REACH;
      if ((sequential || inBatch) && blocks <= this.maxBatchedBlocks) {
        // Record sizes vary, so the stride is the largest size seen so far, up to the bound.
        this.stride = Math.max(this.batchBase >= 0 ? this.stride : 0, blocks);
        this.batchN0 = n0;
        this.batchN1 = n1;
        this.count = batchCount(this.stride);
        this.batchBase = n2 - (n2 % this.count);
        this.batch = this.generate(n0, n1, this.batchBase, this.count, this.stride);
      } else {
        this.words = this.generate(n0, n1, n2, 1, blocks);
        this.offset = 0;
        this.note(n0, n1, n2);
        return;
      }
    }
    this.words = this.batch;
    this.offset = (n2 - this.batchBase) * this.stride * 4;
    this.note(n0, n1, n2);
  }

  private note(n0: number, n1: number, n2: number): void {
    this.lastN0 = n0;
    this.lastN1 = n1;
    this.lastN2 = n2;
  }

  private generate(n0: number, n1: number, base: number, count: number, perNonce: number): Int32Array {
    const words = count * perNonce * 4;
    if (scratch.length < words) scratch = new Int32Array(words);
    // Counter blocks are big-endian words; the typed array stores host (little-endian) order.
    const c = scratch;
    const w0 = bswap(n0);
    const w1 = bswap(n1);
    let at = 0;
    for (let p = 0; p < count; p++) {
      const w2 = bswap(base + p);
      for (let j = 1; j <= perNonce; j++, at += 4) {
        c[at] = w0;
        c[at + 1] = w1;
        c[at + 2] = w2;
        c[at + 3] = bswap(j);
      }
    }
    const out = this.ecb.update(new Uint8Array(c.buffer, 0, words * 4));
    // Word access needs 4-byte alignment; Node gives each output its own allocation, but be sure.
    const aligned = out.byteOffset & 3 ? Uint8Array.from(out) : out;
    return new Int32Array(aligned.buffer, aligned.byteOffset, words);
  }
}

/** The largest power of two, at most BATCH, of nonces whose keystream fits in BATCH_BLOCKS. */
function batchCount(stride: number): number {
  let count = BATCH;
  while (count > 1 && count * stride > BATCH_BLOCKS) count >>>= 1;
  return count;
}

function bswap(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
