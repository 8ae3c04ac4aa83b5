import { type Cipher, createCipheriv } from 'node:crypto';

/** Sequence numbers per batch: one native call covers this many consecutive packets of an SSRC. */
const BATCH = 16;
/** SSRCs whose current batch is kept (audio, video and their RTX streams interleave). */
const SLOTS = 4;

interface Slot {
  ssrc: number;
  roc: number;
  /** First sequence number of the batch (a multiple of BATCH), or -1 when empty. */
  base: number;
  /** Keystream blocks per packet: E(K, J0) then the payload's counter blocks. */
  perPacket: number;
  keystream: Uint8Array;
}

/**
 * AES-GCM counter blocks for SRTP (RFC 7714 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt,
 * J0 = IV || 1, payload counters 2, 3, ...) for BATCH consecutive sequence numbers at once, from
 * one long-lived AES-ECB context. A native `update` costs about a microsecond whatever its length
 * while AES itself is a few nanoseconds per block, so one call per sixteen packets instead of one
 * per packet saves most of that. Senders number packets consecutively and receivers mostly get them
 * in order, so nearly every packet finds its keystream ready; a miss costs one call, as before.
 * The cache is indexed by SSRC, ROC and sequence number only (public values), never by secrets.
 */
export class GcmRtpKeystream {
  private readonly ecb: Cipher;
  private readonly slots: Slot[] = [];
  private victim = 0;
  private counters = new Uint8Array(0);
  private view = new DataView(this.counters.buffer);
  /** Where the last `find` put the packet's J0 mask; its payload keystream follows it. */
  offset = 0;

  constructor(
    key: Uint8Array,
    private readonly salt0: number,
    private readonly salt1: number,
    private readonly salt2: number,
  ) {
    this.ecb = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
    for (let i = 0; i < SLOTS; i++)
      this.slots.push({ ssrc: 0, roc: 0, base: -1, perPacket: 0, keystream: new Uint8Array(0) });
  }

  /**
   * The keystream buffer holding E(K, J0) at `this.offset` followed by `blocks - 1` payload
   * keystream blocks for this packet.
   */
  find(ssrc: number, roc: number, seq: number, blocks: number): Uint8Array {
    const base = seq & ~(BATCH - 1);
    let slot: Slot | undefined;
    for (const s of this.slots) {
      if (s.ssrc === ssrc && s.base >= 0) {
        slot = s;
        break;
      }
    }
    if (!slot || slot.base !== base || slot.roc !== roc || slot.perPacket < blocks) {
      // A stream keeps its slot; packets of one frame vary in size, so never shrink the stride.
      const perPacket = slot && slot.base >= 0 ? Math.max(slot.perPacket, blocks) : blocks;
      if (!slot) {
        slot = this.slots[this.victim]!;
        this.victim = (this.victim + 1) % SLOTS;
      }
      slot.ssrc = ssrc;
      slot.roc = roc;
      slot.base = base;
      slot.perPacket = perPacket;
      slot.keystream = this.generate(ssrc, roc, base, perPacket);
    }
    this.offset = (seq - base) * slot.perPacket * 16;
    return slot.keystream;
  }

  private generate(ssrc: number, roc: number, base: number, perPacket: number): Uint8Array {
    const length = BATCH * perPacket * 16;
    if (this.counters.length < length) {
      this.counters = new Uint8Array(length);
      this.view = new DataView(this.counters.buffer);
    }
    const v = this.view;
    const w0 = (this.salt0 ^ (ssrc >>> 16)) >>> 0;
    const w1 = (this.salt1 ^ ((ssrc << 16) | (roc >>> 16))) >>> 0;
    let at = 0;
    for (let p = 0; p < BATCH; p++) {
      const w2 = (this.salt2 ^ ((roc << 16) | (base + p))) >>> 0;
      for (let j = 1; j <= perPacket; j++, at += 16) {
        v.setUint32(at, w0);
        v.setUint32(at + 4, w1);
        v.setUint32(at + 8, w2);
        v.setUint32(at + 12, j);
      }
    }
    return this.ecb.update(this.counters.subarray(0, length));
  }
}
