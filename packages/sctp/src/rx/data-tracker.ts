import { Unwrapper, wrap32 } from '../common/serial.js';
import type { GapAckBlock, SackChunk } from '../packet/chunks/sack.js';

/** Duplicates reported per SACK; more carry no extra information. */
const MAX_DUPLICATES_REPORTED = 16;
/**
 * Gap Ack Block offsets are 16 bits (RFC 9260 3.3.4), so TSNs further ahead than this cannot be
 * acknowledged: they are dropped as out of window, which also bounds the ranges kept here.
 */
export const MAX_TSN_AHEAD = 0xffff;
/** Gap blocks per SACK: with 16 duplicates the SACK still fits a 1200-byte packet (16 + 4 * 272 bytes). */
const MAX_GAP_BLOCKS = 256;

export type TsnVerdict = 'new' | 'duplicate' | 'out-of-window';

/**
 * Tracks received TSNs and decides when to SACK (RFC 9260 6.2, 6.7). This receiver never reneges
 * (RFC 9260 6.2 allows dropping gap-acked data under memory pressure): what it gap-acks it keeps
 * until delivered, and memory is bounded by refusing data up front instead (see handleData). Received TSNs above the
 * cumulative ack are kept as sorted, disjoint [start, end] ranges of unwrapped TSNs.
 */
export class DataTracker {
  private readonly unwrapper = new Unwrapper(32);
  /** Unwrapped cumulative TSN ack point. */
  cumAck: number;
  private readonly ranges: [number, number][] = [];
  private duplicates: number[] = [];
  private packetsSinceSack = 0;
  private immediate = false;
  private owed = false;
  private pending = false;

  /**
   * `maxPacketsPerSack`: a SACK owed for two packets may wait for the end of the burst, but never
   * beyond this many packets (2: every second packet at once, RFC 9260 6.2's default).
   */
  constructor(
    peerInitialTsn: number,
    private readonly maxPacketsPerSack = 2,
  ) {
    this.cumAck = this.unwrapper.unwrap(peerInitialTsn) - 1;
  }

  unwrap(tsn: number): number {
    return this.unwrapper.peek(tsn);
  }

  /** Classifies without recording, so the caller can drop a chunk it has no room for. */
  classify(tsn: number): TsnVerdict {
    const u = this.unwrapper.peek(tsn);
    if (u <= this.cumAck || this.contains(u)) return 'duplicate';
    if (u - this.cumAck > MAX_TSN_AHEAD) return 'out-of-window';
    return 'new';
  }

  /** Records a TSN; returns the unwrapped value for a new one, undefined for a duplicate. */
  observe(tsn: number, immediateAck: boolean): number | undefined {
    this.pending = true;
    if (immediateAck) this.immediate = true;
    const verdict = this.classify(tsn);
    if (verdict !== 'new') {
      if (verdict === 'duplicate') {
        // RFC 9260 6.2: a duplicate SHOULD be acknowledged immediately.
        this.immediate = true;
        if (this.duplicates.length < MAX_DUPLICATES_REPORTED) this.duplicates.push(tsn);
      }
      return undefined;
    }
    return this.observeNew(tsn, immediateAck);
  }

  /** `observe` for a TSN the caller just classified as 'new' (saves classifying it twice). */
  observeNew(tsn: number, immediateAck: boolean): number {
    this.pending = true;
    if (immediateAck) this.immediate = true;
    const u = this.unwrapper.unwrap(tsn);
    if (u === this.cumAck + 1) {
      this.cumAck = u;
      this.absorbRanges();
    } else {
      this.insertRange(u);
      // RFC 9260 6.7: a gap means an immediate SACK.
      this.immediate = true;
    }
    return u;
  }

  /**
   * RFC 9260 6.2: a SACK at least for every second packet with DATA, otherwise delayed. A gap
   * makes it immediate (6.7); the second in-order packet only makes it owed (`sackOwed`), and
   * the association sends it at the end of the current burst, at the latest after
   * `maxPacketsPerSack` packets.
   */
  endOfPacket(): void {
    if (!this.pending) return;
    this.packetsSinceSack++;
    if (this.ranges.length > 0 || this.packetsSinceSack >= this.maxPacketsPerSack) this.immediate = true;
    else if (this.packetsSinceSack >= 2) this.owed = true;
  }

  get sackPending(): boolean {
    return this.pending;
  }

  /** A SACK that must go out with the next packet: gaps, duplicates, I-bit, forced. */
  get sackImmediately(): boolean {
    return this.pending && this.immediate;
  }

  /** Two or more packets with DATA since the last SACK, in order (RFC 9260 6.2). */
  get sackOwed(): boolean {
    return this.pending && (this.immediate || this.owed);
  }

  /** Requests a SACK even without new DATA (FORWARD-TSN, SHUTDOWN handling). */
  forceSack(): void {
    this.pending = true;
    this.immediate = true;
  }

  /** RFC 3758 3.6: moves the cumulative point to the new one, as if all between had arrived. */
  forwardTo(newCumTsn: number): boolean {
    const u = this.unwrapper.peek(newCumTsn);
    if (u <= this.cumAck) return false;
    if (u - this.cumAck > MAX_TSN_AHEAD) return false;
    this.unwrapper.unwrap(newCumTsn);
    this.cumAck = u;
    while (this.ranges.length > 0 && this.ranges[0]![1] <= this.cumAck) this.ranges.shift();
    this.absorbRanges();
    return true;
  }

  /** `maxBytes` bounds the chunk so it always fits the packet (MTU less the common header). */
  createSack(aRwnd: number, maxBytes = 1188): SackChunk {
    const gapBlocks: GapAckBlock[] = [];
    const maxGaps = Math.min(MAX_GAP_BLOCKS, Math.floor((maxBytes - 16) / 4) - this.duplicates.length);
    for (const [s, e] of this.ranges) {
      if (gapBlocks.length >= maxGaps) break;
      gapBlocks.push({ start: s - this.cumAck, end: e - this.cumAck });
    }
    const sack: SackChunk = {
      type: 'sack',
      cumulativeTsnAck: wrap32(this.cumAck),
      aRwnd: Math.max(0, Math.floor(aRwnd)),
      gapBlocks,
      duplicateTsns: this.duplicates,
    };
    this.duplicates = [];
    this.packetsSinceSack = 0;
    this.owed = false;
    this.immediate = false;
    this.pending = false;
    return sack;
  }

  get gapCount(): number {
    return this.ranges.length;
  }

  get highestReceived(): number {
    const last = this.ranges[this.ranges.length - 1];
    return last ? last[1] : this.cumAck;
  }

  private contains(u: number): boolean {
    const i = this.search(u);
    const r = this.ranges[i];
    return r !== undefined && r[0] <= u && u <= r[1];
  }

  /** Index of the last range starting at or before u, or 0. */
  private search(u: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    let ans = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]![0] <= u) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  private insertRange(u: number): void {
    const rs = this.ranges;
    if (rs.length === 0 || u > rs[rs.length - 1]![1] + 1) {
      rs.push([u, u]);
      return;
    }
    const last = rs[rs.length - 1]!;
    if (u === last[1] + 1) {
      last[1] = u;
      return;
    }
    let i = this.search(u);
    if (rs[i]![0] > u) i = -1;
    const prev = i >= 0 ? rs[i] : undefined;
    const next = rs[i + 1];
    const joinsPrev = prev !== undefined && prev[1] + 1 === u;
    const joinsNext = next !== undefined && next[0] - 1 === u;
    if (joinsPrev && joinsNext) {
      prev[1] = next[1];
      rs.splice(i + 1, 1);
    } else if (joinsPrev) prev[1] = u;
    else if (joinsNext) next[0] = u;
    else rs.splice(i + 1, 0, [u, u]);
  }

  private absorbRanges(): void {
    const first = this.ranges[0];
    if (first && first[0] <= this.cumAck + 1) {
      this.cumAck = Math.max(this.cumAck, first[1]);
      this.ranges.shift();
    }
  }
}
