import { type Cipher, createCipheriv } from 'node:crypto';

/** Sequence numbers per batch: one native call covers this many consecutive packets of an SSRC. */
const BATCH = 32;
/**
 * SSRCs whose current batch is kept: audio, video, simulcast layers and their RTX streams
 * interleave on one context. More streams than this with small payloads at once make batches
 * evicted before use, which costs 32 packets' AES per packet but stays correct.
 */
const SLOTS = 8;
/**
 * Largest stride batched (J0 plus a 1536-byte payload): 32 packets of keystream for larger
 * payloads would be a large speculative allocation, so those get one packet's keystream each.
 */
const MAX_BATCHED_BLOCKS = 97;

interface Slot {
  ssrc: number;
  roc: number;
  /** First sequence number of the batch (a multiple of BATCH unless count is 1), or -1 when empty. */
  base: number;
  /** Packets in the batch: BATCH, or 1 for a payload too large to speculate on. */
  count: number;
  /** Keystream blocks per packet: E(K, J0) then the payload's counter blocks. */
  perPacket: number;
  keystream: Uint8Array;
  words: Int32Array;
}

/**
 * AES-GCM counter blocks for SRTP (RFC 7714 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt,
 * J0 = IV || 1, payload counters 2, 3, ...) for BATCH consecutive sequence numbers at once, from
 * one long-lived AES-ECB context. A native `update` costs about a microsecond whatever its length
 * while AES itself is a few nanoseconds per block, so one call per 32 packets instead of one
 * per packet saves most of that. Senders number packets consecutively and receivers mostly get them
 * in order, so nearly every packet finds its keystream ready; a miss costs one call, as before.
 * The cache is indexed by SSRC, ROC and sequence number only (public values), never by secrets.
 * Counter words are written in little-endian host order (the JS GCM path runs on LE hosts only).
 */
export class GcmRtpKeystream {
  private readonly ecb: Cipher;
  private readonly slots: Slot[] = [];
  private victim = 0;
  private counters = new Int32Array(0);
  /** Where the last `find` put the packet's J0 mask (bytes); its payload keystream follows it. */
  offset = 0;
  /** The last `find`'s keystream as host-order words (ECB output buffers are 4-byte aligned). */
  words: Int32Array = new Int32Array(0);

  constructor(
    key: Uint8Array,
    private readonly salt0: number,
    private readonly salt1: number,
    private readonly salt2: number,
  ) {
    this.ecb = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
    for (let i = 0; i < SLOTS; i++)
      this.slots.push({
        ssrc: 0,
        roc: 0,
        base: -1,
        count: 0,
        perPacket: 0,
        keystream: new Uint8Array(0),
        words: new Int32Array(0),
      });
  }

  /**
   * The keystream buffer holding E(K, J0) at `this.offset` followed by `blocks - 1` payload
   * keystream blocks for this packet.
   */
  find(ssrc: number, roc: number, seq: number, blocks: number): Uint8Array {
    let slot: Slot | undefined;
    for (const s of this.slots) {
      if (s.ssrc === ssrc && s.base >= 0) {
        slot = s;
        break;
      }
    }
    if (
      !slot ||
      slot.roc !== roc ||
      seq < slot.base ||
      seq >= slot.base + slot.count ||
      slot.perPacket < blocks
    ) {
      // A stream keeps its slot; packets of one frame vary in size, so the stride only grows, up
      // to a bound: a payload larger than that gets a keystream of its own.
      const stride = slot && slot.base >= 0 ? Math.max(slot.perPacket, blocks) : blocks;
      const single = blocks > MAX_BATCHED_BLOCKS;
      if (!slot) {
        slot = this.slots[this.victim]!;
        this.victim = (this.victim + 1) % SLOTS;
      }
      slot.ssrc = ssrc;
      slot.roc = roc;
      slot.count = single ? 1 : BATCH;
      slot.base = single ? seq : seq & ~(BATCH - 1);
      slot.perPacket = single ? blocks : Math.min(stride, MAX_BATCHED_BLOCKS);
      slot.keystream = this.generate(ssrc, roc, slot.base, slot.count, slot.perPacket);
      slot.words = new Int32Array(
        slot.keystream.buffer,
        slot.keystream.byteOffset,
        slot.keystream.length >>> 2,
      );
    }
    this.offset = (seq - slot.base) * slot.perPacket * 16;
    this.words = slot.words;
    return slot.keystream;
  }

  private generate(ssrc: number, roc: number, base: number, count: number, perPacket: number): Uint8Array {
    const words = count * perPacket * 4;
    if (this.counters.length < words) this.counters = new Int32Array(words);
    // Counter blocks are big-endian words; the typed array stores host (little-endian) order.
    const c = this.counters;
    const w0 = bswap(this.salt0 ^ (ssrc >>> 16));
    const w1 = bswap(this.salt1 ^ ((ssrc << 16) | (roc >>> 16)));
    let at = 0;
    for (let p = 0; p < count; p++) {
      const w2 = bswap(this.salt2 ^ ((roc << 16) | (base + p)));
      for (let j = 1; j <= perPacket; j++, at += 4) {
        c[at] = w0;
        c[at + 1] = w1;
        c[at + 2] = w2;
        c[at + 3] = bswap(j);
      }
    }
    const keystream = this.ecb.update(new Uint8Array(c.buffer, 0, words * 4));
    // Word access needs 4-byte alignment; Node gives each output its own allocation, but be sure.
    return keystream.byteOffset & 3 ? Uint8Array.from(keystream) : keystream;
  }
}

function bswap(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
