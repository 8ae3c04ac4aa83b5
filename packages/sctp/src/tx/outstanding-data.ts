import type { Fragment } from '../common/fragment.js';
import type { GapAckBlock } from '../packet/chunks/sack.js';
import type { OutgoingMessage } from './outgoing-message.js';

export const enum ItemState {
  InFlight = 0,
  Acked = 1,
  ToRetransmit = 2,
  Abandoned = 3,
}

export interface OutstandingItem {
  readonly tsn: number;
  readonly fragment: Fragment;
  readonly message: OutgoingMessage;
  sentAt: number;
  /** Times sent beyond the first (RFC 3758 limited retransmissions counts these). */
  retransmissions: number;
  nacks: number;
  state: ItemState;
  fastRetransmitted: boolean;
}

export interface SackResult {
  /** Bytes newly acknowledged that were in flight. */
  ackedBytes: number;
  cumAdvanced: boolean;
  /** RTT of the highest newly acked chunk never retransmitted (Karn's rule). */
  rttSample: number | undefined;
  /** Some chunk reached three miss indications (RFC 9260 7.2.4). */
  fastRetransmit: boolean;
  /** Messages abandoned while processing this SACK. */
  abandoned: boolean;
  /** TSNs an earlier SACK gap-acked that this one no longer does (the peer reneged). */
  reneged: number;
}

type Abandoner = (m: OutgoingMessage) => void;

/**
 * Data sent and not yet cumulatively acknowledged, keyed by unwrapped TSN in a deque: TSNs are
 * allocated consecutively, so lookup is an index and the cumulative ack pops from the front.
 * SACK handling touches only newly acked TSNs and holes below the highest newly acked TSN.
 */
export class OutstandingData {
  private items: (OutstandingItem | undefined)[] = [];
  private head = 0;
  /** Unwrapped cumulative TSN ack point; items[head] has TSN lastCumAck + 1. */
  lastCumAck: number;
  nextTsn: number;
  bytesInFlight = 0;
  private toRetransmit: number[] = [];
  private toRetransmitSorted = true;
  private prevBlocks: [number, number][] = [];
  /** Highest TSN the last SACK reported on (its last gap block, or its cumulative ack). */
  private reportedUpTo: number;
  /** Advanced.Peer.Ack.Point (RFC 3758 3.5), unwrapped. */
  private apap: number;
  abandonedCount = 0;

  /** Without PR-SCTP negotiated (RFC 3758), nothing may be abandoned: the peer could not skip it. */
  constructor(
    initialTsn: number,
    private readonly partialReliability = true,
  ) {
    this.lastCumAck = initialTsn - 1;
    this.nextTsn = initialTsn;
    this.apap = this.lastCumAck;
    this.reportedUpTo = this.lastCumAck;
  }

  get(tsn: number): OutstandingItem | undefined {
    if (tsn <= this.lastCumAck) return undefined;
    return this.items[this.head + (tsn - this.lastCumAck - 1)];
  }

  get isEmpty(): boolean {
    return this.nextTsn - 1 === this.lastCumAck;
  }

  get outstandingCount(): number {
    return this.nextTsn - 1 - this.lastCumAck;
  }

  get hasToRetransmit(): boolean {
    return this.toRetransmit.length > 0;
  }

  insert(
    fragment: Fragment,
    message: OutgoingMessage,
    now: number,
    state = ItemState.InFlight,
  ): OutstandingItem {
    const tsn = this.nextTsn++;
    const item: OutstandingItem = {
      tsn,
      fragment,
      message,
      sentAt: now,
      retransmissions: 0,
      nacks: 0,
      state,
      fastRetransmitted: false,
    };
    this.items.push(item);
    message.tsns.push(tsn);
    if (fragment.end) message.endAssigned = true;
    if (state === ItemState.InFlight) this.bytesInFlight += fragment.payload.length;
    return item;
  }

  private popFront(): void {
    this.items[this.head] = undefined;
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private ackItem(item: OutstandingItem, r: SackResult, now: number, rttState: { tsn: number }): void {
    if (item.state === ItemState.InFlight) {
      this.bytesInFlight -= item.fragment.payload.length;
      r.ackedBytes += item.fragment.payload.length;
      if (item.retransmissions === 0 && item.tsn > rttState.tsn) {
        rttState.tsn = item.tsn;
        r.rttSample = now - item.sentAt;
      }
    } else if (item.state === ItemState.ToRetransmit) {
      r.ackedBytes += 0;
    }
    if (item.state !== ItemState.Abandoned) item.state = ItemState.Acked;
  }

  /**
   * Applies a SACK (RFC 9260 6.2.1, 7.2.4). `cumAck` is already unwrapped and validated to lie
   * in [lastCumAck, nextTsn - 1].
   */
  handleSack(
    cumAck: number,
    gapBlocks: readonly GapAckBlock[],
    now: number,
    inFastRecovery: boolean,
    abandon: Abandoner,
  ): SackResult {
    const r: SackResult = {
      ackedBytes: 0,
      cumAdvanced: false,
      rttSample: undefined,
      fastRetransmit: false,
      abandoned: false,
      reneged: 0,
    };
    const rtt = { tsn: -1 };
    let highestNewlyAcked = this.lastCumAck;
    if (cumAck > this.lastCumAck) {
      r.cumAdvanced = true;
      while (this.lastCumAck < cumAck) {
        const item = this.items[this.head]!;
        if (item.state !== ItemState.Acked && item.state !== ItemState.Abandoned)
          highestNewlyAcked = item.tsn;
        this.ackItem(item, r, now, rtt);
        this.popFront();
        this.lastCumAck++;
      }
      if (this.apap < this.lastCumAck) this.apap = this.lastCumAck;
    }
    const blocks: [number, number][] = [];
    const limit = this.nextTsn - 1;
    for (const g of gapBlocks) {
      const s = cumAck + g.start;
      const e = Math.min(cumAck + g.end, limit);
      if (g.start < 1 || s > e) continue;
      if (blocks.length > 0 && s <= blocks[blocks.length - 1]![1]) continue;
      blocks.push([s, e]);
    }
    // Only TSNs not already covered by the previous SACK's blocks are visited.
    let j = 0;
    const prev = this.prevBlocks;
    for (const [s, e] of blocks) {
      let t = s;
      while (t <= e) {
        while (j < prev.length && prev[j]![1] < t) j++;
        const p = prev[j];
        if (p && p[0] <= t) {
          t = p[1] + 1;
          continue;
        }
        const stop = p ? Math.min(e, p[0] - 1) : e;
        for (; t <= stop; t++) {
          const item = this.get(t);
          if (!item || item.state === ItemState.Acked || item.state === ItemState.Abandoned) continue;
          highestNewlyAcked = Math.max(highestNewlyAcked, t);
          this.ackItem(item, r, now, rtt);
        }
      }
    }
    // A receiver may report fewer gap blocks than it has (dcSCTP sends at most 20), so only TSNs up
    // to the highest one this SACK reports can be judged; gap-acked TSNs above it stay acked (and
    // are remembered as such) until a SACK reaching past them says otherwise.
    const reported = blocks.length > 0 ? blocks[blocks.length - 1]![1] : cumAck;
    this.reportedUpTo = reported;
    const prevBlocks = this.prevBlocks;
    const reneged = prevBlocks.length > 0 ? this.renege(prevBlocks, blocks, cumAck, reported, r) : undefined;
    let remembered = blocks;
    for (const [ps, pe] of prevBlocks) {
      if (pe <= reported) continue;
      if (remembered === blocks) remembered = blocks.slice();
      remembered.push([Math.max(ps, reported + 1), pe]);
    }
    this.prevBlocks = remembered;

    // HTNA (RFC 9260 7.2.4): miss indications only below the highest newly acked TSN, or for
    // all reported holes when in fast recovery and the cumulative ack advanced.
    const highestAcked = reported;
    const nackLimit = inFastRecovery && r.cumAdvanced ? highestAcked : highestNewlyAcked;
    let holeStart = cumAck + 1;
    for (let i = 0; i <= blocks.length && holeStart <= nackLimit; i++) {
      const holeEnd = Math.min(i < blocks.length ? blocks[i]![0] - 1 : highestAcked, nackLimit);
      for (let t = holeStart; t <= holeEnd; t++) {
        const item = this.get(t);
        if (!item || item.state !== ItemState.InFlight || item.fastRetransmitted) continue;
        if (reneged?.has(t)) continue;
        if (++item.nacks >= 3) {
          item.fastRetransmitted = true;
          if (this.markForRetransmit(item, now, abandon)) r.fastRetransmit = true;
          else r.abandoned = true;
        }
      }
      if (i < blocks.length) holeStart = blocks[i]![1] + 1;
    }
    return r;
  }

  /**
   * RFC 9260 6.2.1 D iv: TSNs the previous SACK gap-acked and this one does not were reneged by the
   * receiver. They were never freed (only the cumulative ack frees data), so they are simply in
   * flight again with one miss indication (7.2.4), and T3-rtx (6.3.3) or fast retransmit sends
   * them again. Returns the reneged TSNs so the hole scan does not count them twice.
   */
  private renege(
    prev: readonly [number, number][],
    now: readonly [number, number][],
    cumAck: number,
    reported: number,
    r: SackResult,
  ): Set<number> | undefined {
    let out: Set<number> | undefined;
    let j = 0;
    // Interval difference prev \ now, so only reneged TSNs are visited, not every gap-acked one.
    for (const [ps, end] of prev) {
      const pe = Math.min(end, reported);
      let t = Math.max(ps, cumAck + 1);
      while (t <= pe) {
        while (j < now.length && now[j]![1] < t) j++;
        const n = now[j];
        if (n && n[0] <= t) {
          t = n[1] + 1;
          continue;
        }
        const stop = n ? Math.min(pe, n[0] - 1) : pe;
        for (; t <= stop; t++) {
          const item = this.get(t);
          if (!item || item.state !== ItemState.Acked) continue;
          item.state = ItemState.InFlight;
          this.bytesInFlight += item.fragment.payload.length;
          item.nacks = 1;
          r.reneged++;
          if (!out) out = new Set();
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Returns false when the message was abandoned instead (RFC 3758 limits). */
  private markForRetransmit(item: OutstandingItem, now: number, abandon: Abandoner): boolean {
    if (item.state === ItemState.InFlight) this.bytesInFlight -= item.fragment.payload.length;
    const m = item.message;
    if (
      this.partialReliability &&
      (m.abandoned ||
        (m.maxRetransmits !== undefined && item.retransmissions >= m.maxRetransmits) ||
        (m.expiresAt !== undefined && now >= m.expiresAt))
    ) {
      item.state = ItemState.ToRetransmit;
      abandon(m);
      return false;
    }
    item.state = ItemState.ToRetransmit;
    item.nacks = 0;
    if (this.toRetransmit.length > 0 && this.toRetransmit[this.toRetransmit.length - 1]! > item.tsn) {
      this.toRetransmitSorted = false;
    }
    this.toRetransmit.push(item.tsn);
    return true;
  }

  /**
   * T3-rtx expiry (RFC 9260 6.3.3 E3): every chunk in flight is to be retransmitted. Gap-acked
   * chunks above what the last SACK reported on are too: the receiver may have reneged on them
   * (6.2) without any SACK being able to say so, and after a whole RTO without progress they
   * would otherwise never be sent again.
   */
  markAllForRetransmit(now: number, abandon: Abandoner): void {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (
        item.state === ItemState.InFlight ||
        (item.state === ItemState.Acked && item.tsn > this.reportedUpTo)
      ) {
        this.markForRetransmit(item, now, abandon);
      }
    }
    // Those are no longer acked: a later SACK covering them must count them again.
    const kept: [number, number][] = [];
    for (const [s, e] of this.prevBlocks) {
      if (s <= this.reportedUpTo) kept.push([s, Math.min(e, this.reportedUpTo)]);
    }
    this.prevBlocks = kept;
  }

  /**
   * Marks every fragment of the message abandoned. If its end was never sent, a placeholder
   * end fragment takes the next TSN so FORWARD-TSN covers the whole message.
   */
  abandon(m: OutgoingMessage, placeholderNeeded: boolean, now: number): void {
    m.abandoned = true;
    this.abandonedCount++;
    for (const t of m.tsns) {
      const item = this.get(t);
      if (!item || item.state === ItemState.Abandoned || item.state === ItemState.Acked) continue;
      if (item.state === ItemState.InFlight) this.bytesInFlight -= item.fragment.payload.length;
      item.state = ItemState.Abandoned;
    }
    if (placeholderNeeded && !m.endAssigned) {
      const last = this.get(m.tsns[m.tsns.length - 1] ?? -1)?.fragment;
      const f: Fragment = {
        streamId: m.streamId,
        ssn: last?.ssn ?? m.ssn,
        mid: m.mid,
        fsn: m.nextFsn++,
        ppid: m.ppid,
        payload: EMPTY,
        unordered: m.unordered,
        beginning: false,
        end: true,
      };
      this.insert(f, m, now, ItemState.Abandoned);
    }
  }

  /** Chunks marked for retransmission, lowest TSN first, that fit `budget` (bytes of payload + overhead). */
  takeRetransmissions(now: number, budget: number, overhead: number, abandon: Abandoner): OutstandingItem[] {
    if (!this.toRetransmitSorted) {
      this.toRetransmit.sort((a, b) => a - b);
      this.toRetransmitSorted = true;
    }
    const out: OutstandingItem[] = [];
    let i = 0;
    for (; i < this.toRetransmit.length; i++) {
      const item = this.get(this.toRetransmit[i]!);
      if (!item || item.state !== ItemState.ToRetransmit) continue;
      const m = item.message;
      if (this.partialReliability && (m.abandoned || (m.expiresAt !== undefined && now >= m.expiresAt))) {
        abandon(m);
        continue;
      }
      const size = (overhead + item.fragment.payload.length + 3) & ~3;
      if (size > budget) break;
      budget -= size;
      item.state = ItemState.InFlight;
      item.retransmissions++;
      item.sentAt = now;
      this.bytesInFlight += item.fragment.payload.length;
      out.push(item);
    }
    this.toRetransmit.splice(0, i);
    return out;
  }

  /**
   * RFC 3758 3.5 C2: advances the Advanced.Peer.Ack.Point over abandoned (and acked) TSNs.
   * Returns undefined when no FORWARD-TSN is needed.
   */
  forwardTsnPoint(): number | undefined {
    if (this.apap < this.lastCumAck) this.apap = this.lastCumAck;
    for (;;) {
      const item = this.get(this.apap + 1);
      if (!item || (item.state !== ItemState.Abandoned && item.state !== ItemState.Acked)) break;
      this.apap++;
    }
    return this.apap > this.lastCumAck ? this.apap : undefined;
  }

  /** Distinct messages with a fragment neither acknowledged nor abandoned (lost on a restart). */
  unackedMessageIds(): Set<number> {
    const ids = new Set<number>();
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (item.state !== ItemState.Acked && item.state !== ItemState.Abandoned) ids.add(item.message.id);
    }
    return ids;
  }

  /** Items between the cumulative ack and the forward point, for the FORWARD-TSN stream list. */
  *skippedItems(upTo: number): Generator<OutstandingItem> {
    for (let t = this.lastCumAck + 1; t <= upTo; t++) {
      const item = this.get(t);
      if (item && item.state === ItemState.Abandoned) yield item;
    }
  }
}

const EMPTY = Buffer.alloc(0);
