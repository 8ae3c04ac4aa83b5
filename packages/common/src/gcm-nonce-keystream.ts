import { type Cipher, createCipheriv } from 'node:crypto';
import { endianness } from 'node:os';

/**
 * The JS GCM paths read keystream and GHASH input as host words and byte-swap them as
 * little-endian; on a big-endian host callers keep Node's GCM.
 */
export const canUseJsGcm = endianness() === 'LE';

/** Nonces per batch: one native call covers this many consecutive nonces. */
const BATCH = 32;
/** Batches kept: the current one and the one before, so a reordered record at an edge still hits. */
const SLOTS = 2;
/** How far ahead of the last nonce seen a miss still counts as sequential (two batches). */
const SEQUENTIAL_REACH = 2 * BATCH;

interface Slot {
  n0: number;
  n1: number;
  /** First counter word of the batch (a multiple of BATCH unless count is 1), or -1 when empty. */
  base: number;
  count: number;
  /** Keystream blocks per nonce: E(K, J0) then the data's counter blocks. */
  perNonce: number;
  words: Int32Array;
}

/**
 * GCM counter blocks (SP 800-38D 7.1, 96-bit IV: J0 = IV || 1, data counters 2, 3, ...) for the
 * nonces `n0 || n1 || n2` (three big-endian words) with `n2` running over BATCH consecutive
 * values, from one long-lived AES-ECB context. A native `update` costs about a microsecond whatever
 * its length while AES itself costs a few nanoseconds a block, so one call per 32 nonces instead of
 * one per record saves most of that. Batches are aligned (`n2` a multiple of BATCH), so a batch
 * never carries into `n1`.
 *
 * Speculation only pays when nonces are sequential (a TLS/DTLS sender numbering its records, as
 * BoringSSL, OpenSSL, werift and we do); for a peer with random explicit nonces a batch would be 32
 * records' AES for one record. So a miss starts a batch only when its nonce follows the previous
 * one closely (same `n0`, `n1`, and `n2` at most two batches ahead); otherwise it gets a keystream
 * of its own (one call, as before). Lookups use the nonce only, which is public.
 * Keystream for nonces not yet used sits in process memory, as sensitive as the key already there.
 */
export class GcmNonceKeystream {
  private readonly ecb: Cipher;
  private readonly slots: Slot[] = [];
  private victim = 0;
  private counters = new Int32Array(0);
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
    for (let i = 0; i < SLOTS; i++)
      this.slots.push({ n0: 0, n1: 0, base: -1, count: 0, perNonce: 0, words: new Int32Array(0) });
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
    let slot: Slot | undefined;
    for (const s of this.slots) {
      if (s.base >= 0 && s.n0 === n0 && s.n1 === n1 && n2 >= s.base && n2 < s.base + s.count) {
        slot = s;
        break;
      }
    }
    if (!slot || slot.perNonce < blocks) {
      const sequential =
        n0 === this.lastN0 && n1 === this.lastN1 && n2 > this.lastN2 && n2 - this.lastN2 <= SEQUENTIAL_REACH;
      const batched = (sequential || slot !== undefined) && blocks <= this.maxBatchedBlocks;
      if (!slot) {
        slot = this.slots[this.victim]!;
        this.victim = (this.victim + 1) % SLOTS;
      }
      // Record sizes vary, so a batch's stride is the largest size seen recently, up to the bound.
      const stride = slot.base >= 0 ? Math.max(slot.perNonce, blocks) : blocks;
      slot.n0 = n0;
      slot.n1 = n1;
      slot.count = batched ? BATCH : 1;
      slot.base = batched ? n2 - (n2 % BATCH) : n2;
      slot.perNonce = batched ? Math.min(stride, this.maxBatchedBlocks) : blocks;
      slot.words = this.generate(n0, n1, slot.base, slot.count, slot.perNonce);
    }
    this.lastN0 = n0;
    this.lastN1 = n1;
    this.lastN2 = n2;
    this.offset = (n2 - slot.base) * slot.perNonce * 4;
    this.words = slot.words;
  }

  private generate(n0: number, n1: number, base: number, count: number, perNonce: number): Int32Array {
    const words = count * perNonce * 4;
    if (this.counters.length < words) this.counters = new Int32Array(words);
    // Counter blocks are big-endian words; the typed array stores host (little-endian) order.
    const c = this.counters;
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

function bswap(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
