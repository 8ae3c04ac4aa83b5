import { Unwrapper, wrap32 } from '../common/serial.js';
import type { Chunk } from '../packet/chunk.js';
import type { ForwardTsnChunk } from '../packet/chunks/forward-tsn.js';
import type { IForwardTsnChunk } from '../packet/chunks/iforward-tsn.js';
import type { SackChunk } from '../packet/chunks/sack.js';
import type { OutgoingMessage } from './outgoing-message.js';
import { OutstandingData } from './outstanding-data.js';
import type { SendQueue } from './send-queue.js';
import { toDataChunk } from './to-data-chunk.js';

export interface CongestionOptions {
  /** SCTP packet size (common header included). */
  mtu: number;
  /** dcSCTP starts at 10 MTUs (like RFC 6928 for TCP) instead of RFC 9260 7.2.1's ~3; WebRTC paths take it. */
  initialCwndMtus: number;
  /** Bytes of chunk header per DATA (16) or I-DATA (20) chunk. */
  dataHeaderSize: number;
  /** PR-SCTP negotiated (RFC 3758): only then may sent data be abandoned. */
  partialReliability: boolean;
}

export type SackOutcome = 'ok' | 'old' | 'invalid';

export interface SackHandling {
  outcome: SackOutcome;
  rtt?: number;
  acked: number;
  cumAdvanced: boolean;
  /** TSNs gap-acked before and not any more (RFC 9260 6.2: the receiver reneged). */
  reneged: number;
}

/**
 * The sender side of RFC 9260 6 and 7: decides what DATA goes in the next packet under the
 * congestion window and the peer's receive window, reacts to SACKs (slow start, congestion
 * avoidance, fast retransmit / fast recovery) and T3-rtx expiry, and abandons messages as
 * RFC 3758 partial reliability says, producing FORWARD-TSN / I-FORWARD-TSN.
 */
export class RetransmissionQueue {
  readonly outstanding: OutstandingData;
  private readonly cumUnwrapper = new Unwrapper(32);
  cwnd: number;
  ssthresh: number;
  private partialBytesAcked = 0;
  /** The peer's receive window less what is in flight (RFC 9260 6.2.1). */
  rwnd: number;
  private fastRecoveryExit: number | undefined;
  /** Fast retransmit sends one packet ignoring cwnd (RFC 9260 7.2.4 step 3). */
  private fastRetransmitPending = false;
  forwardTsnPending = false;
  /** `now` of the call in progress, for the abandon callback (one closure, not one per call). */
  private clock = 0;
  private readonly abandonNow = (m: OutgoingMessage): void => this.abandon(m, this.clock);

  constructor(
    initialTsn: number,
    peerRwnd: number,
    private readonly opts: CongestionOptions,
    private readonly sendQueue: SendQueue,
  ) {
    this.outstanding = new OutstandingData(this.cumUnwrapper.unwrap(initialTsn), opts.partialReliability);
    this.cwnd = opts.initialCwndMtus * opts.mtu;
    // RFC 9260 7.2.1: ssthresh starts arbitrarily high, e.g. the peer's advertised window.
    this.ssthresh = peerRwnd;
    this.rwnd = peerRwnd;
  }

  /** Path MTU discovery confirmed another packet size (RFC 8899); chunks already sent keep theirs. */
  setMtu(mtu: number): void {
    this.opts.mtu = mtu;
  }

  get inFastRecovery(): boolean {
    return this.fastRecoveryExit !== undefined;
  }

  get nextTsnWire(): number {
    return wrap32(this.outstanding.nextTsn);
  }

  get lastCumAckWire(): number {
    return wrap32(this.outstanding.lastCumAck);
  }

  readonly abandon = (m: OutgoingMessage, now = 0): void => {
    if (m.abandoned && m.endAssigned) {
      this.outstanding.abandon(m, false, now);
      return;
    }
    const restQueued = this.sendQueue.discardRest(m);
    this.outstanding.abandon(m, restQueued || !m.endAssigned, now);
    this.forwardTsnPending = true;
  };

  handleSack(sack: SackChunk, now: number): SackHandling {
    const o = this.outstanding;
    const cum = this.cumUnwrapper.peek(sack.cumulativeTsnAck);
    // RFC 9260 6.2.1 D: an older cumulative ack is out of order and ignored.
    if (cum < o.lastCumAck) return { outcome: 'old', acked: 0, cumAdvanced: false, reneged: 0 };
    if (cum >= o.nextTsn) return { outcome: 'invalid', acked: 0, cumAdvanced: false, reneged: 0 };
    this.cumUnwrapper.unwrap(sack.cumulativeTsnAck);
    const flightBefore = o.bytesInFlight;
    this.clock = now;
    const r = o.handleSack(cum, sack.gapBlocks, now, this.inFastRecovery, this.abandonNow);
    const mtu = this.opts.mtu;
    if (this.fastRecoveryExit !== undefined && o.lastCumAck >= this.fastRecoveryExit)
      this.fastRecoveryExit = undefined;
    if (r.cumAdvanced && !this.inFastRecovery && r.ackedBytes > 0) {
      const fullyUtilized = flightBefore + mtu > this.cwnd;
      if (this.cwnd <= this.ssthresh) {
        // RFC 9260 7.2.1 slow start.
        if (fullyUtilized) this.cwnd += Math.min(r.ackedBytes, mtu);
      } else {
        // RFC 9260 7.2.2 congestion avoidance.
        this.partialBytesAcked += r.ackedBytes;
        if (this.partialBytesAcked >= this.cwnd && fullyUtilized) {
          this.partialBytesAcked -= this.cwnd;
          this.cwnd += mtu;
        }
      }
    }
    if (o.isEmpty) this.partialBytesAcked = 0;
    if (r.fastRetransmit && !this.inFastRecovery) {
      // RFC 9260 7.2.4 step 2 / 7.2.3.
      this.ssthresh = Math.max(Math.floor(this.cwnd / 2), 4 * mtu);
      this.cwnd = this.ssthresh;
      this.partialBytesAcked = 0;
      this.fastRecoveryExit = o.nextTsn - 1;
      this.fastRetransmitPending = true;
    }
    this.rwnd = Math.max(0, sack.aRwnd - o.bytesInFlight);
    if (r.abandoned || o.forwardTsnPoint() !== undefined) this.forwardTsnPending = true;
    const out: SackHandling = {
      outcome: 'ok',
      acked: r.ackedBytes,
      cumAdvanced: r.cumAdvanced,
      reneged: r.reneged,
    };
    if (r.rttSample !== undefined) out.rtt = r.rttSample;
    return out;
  }

  /** RFC 9260 6.3.3 E1-E3 and 7.2.3. */
  handleT3Expiry(now: number): void {
    const mtu = this.opts.mtu;
    this.ssthresh = Math.max(Math.floor(this.cwnd / 2), 4 * mtu);
    this.cwnd = mtu;
    this.partialBytesAcked = 0;
    this.fastRecoveryExit = undefined;
    this.clock = now;
    this.outstanding.markAllForRetransmit(now, this.abandonNow);
    if (this.outstanding.forwardTsnPoint() !== undefined) this.forwardTsnPending = true;
  }

  /**
   * DATA (or I-DATA) chunks appended to `out` for one packet with `space` bytes left: retransmissions first, then new fragments from
   * the send queue, within cwnd (RFC 9260 6.1 B allows exceeding it by less than one MTU) and the
   * peer's rwnd (6.1 A: one chunk may probe a zero window when nothing is in flight).
   */
  fill(now: number, space: number, idata = false, out: Chunk[] = []): Chunk[] {
    const o = this.outstanding;
    const hdr = this.opts.dataHeaderSize;
    const start = out.length;
    this.clock = now;
    if (o.hasToRetransmit) {
      const ignoreCwnd = this.fastRetransmitPending;
      this.fastRetransmitPending = false;
      if (ignoreCwnd || this.retransmitAllowed()) {
        const items = o.takeRetransmissions(now, space, hdr, this.abandonNow);
        for (const it of items) {
          space -= (hdr + it.fragment.payload.length + 3) & ~3;
          out.push(toDataChunk(wrap32(it.tsn), it.fragment, idata));
        }
      }
      if (o.hasToRetransmit) return out;
    }
    while (space > hdr) {
      if (o.bytesInFlight >= this.cwnd) break;
      if (this.rwnd <= 0 && o.bytesInFlight > 0) break;
      // RFC 9260 6.1 A: with nothing in flight one chunk may go whatever the window says; make it
      // a full one, so a zero-window probe also moves a message forward by a whole packet.
      const allowance = o.bytesInFlight === 0 ? space - hdr : this.rwnd;
      const maxPayload = Math.min(space - hdr, Math.max(allowance, 1));
      // Avoid slivers: a fragment smaller than a quarter packet waits for the next packet.
      if (maxPayload < 64 && out.length > start) break;
      // A small message goes whole into the next packet rather than in two fragments.
      const whole = out.length > start ? this.opts.mtu - 12 - hdr : 0;
      const p = this.sendQueue.produce(now, maxPayload & ~3 || maxPayload, whole);
      if (!p) break;
      if (p.expired) {
        // Its rest is never sent; what was sent is abandoned and skipped by FORWARD-TSN.
        this.abandon(p.expired, now);
        continue;
      }
      const item = o.insert(p.fragment, p.message, now);
      this.rwnd = Math.max(0, this.rwnd - p.fragment.payload.length);
      space -= (hdr + p.fragment.payload.length + 3) & ~3;
      out.push(toDataChunk(wrap32(item.tsn), item.fragment, idata));
    }
    return out;
  }

  /** RFC 9260 7.2.3: with cwnd at one MTU (after T3) only one packet may be in flight. */
  private retransmitAllowed(): boolean {
    const flight = this.outstanding.bytesInFlight;
    return flight < this.cwnd && (this.cwnd > this.opts.mtu || flight === 0);
  }

  /** Whether fill() could produce something now. */
  canSend(): boolean {
    const o = this.outstanding;
    if (o.hasToRetransmit && (this.fastRetransmitPending || this.retransmitAllowed())) return true;
    if (!this.sendQueue.hasDataToSend) return false;
    if (o.bytesInFlight >= this.cwnd) return false;
    return this.rwnd > 0 || o.bytesInFlight === 0;
  }

  /**
   * RFC 3758 3.5 C1-C3 / RFC 8260 2.3: the FORWARD-TSN for abandoned data, if one is due, within
   * `maxBytes` (the chunk must fit one packet).
   *
   * When the streams to list do not fit, the chunk advances only to the TSN just before the first
   * abandoned fragment of a stream it has no room for: every chunk is then complete on its own (all
   * streams skipped at or below its new cumulative TSN are listed). A receiver ignores a FORWARD-TSN
   * at or below its cumulative TSN (RFC 3758 3.6), so two chunks with the same TSN but different
   * streams would lose one; instead the rest goes in a later chunk, once the peer's SACK confirms
   * this one (the SACK finds the forward point still ahead and asks for another).
   */
  forwardTsn(
    interleaved: boolean,
    maxBytes = this.opts.mtu - 12,
  ): ForwardTsnChunk | IForwardTsnChunk | undefined {
    let point = this.outstanding.forwardTsnPoint();
    this.forwardTsnPending = false;
    if (point === undefined) return undefined;
    // Chunk header and new cumulative TSN, then 4 bytes per stream (8 with I-FORWARD-TSN).
    const room = Math.max(1, Math.floor((maxBytes - 8) / (interleaved ? 8 : 4)));
    if (interleaved) {
      const last = new Map<number, { streamId: number; unordered: boolean; mid: number }>();
      for (const it of this.outstanding.skippedItems(point)) {
        const f = it.fragment;
        const key = f.streamId * 2 + (f.unordered ? 1 : 0);
        if (!last.has(key) && last.size >= room) {
          point = it.tsn - 1;
          break;
        }
        last.set(key, { streamId: f.streamId, unordered: f.unordered, mid: f.mid });
      }
      return { type: 'iforward-tsn', newCumulativeTsn: wrap32(point), skipped: [...last.values()] };
    }
    const last = new Map<number, number>();
    for (const it of this.outstanding.skippedItems(point)) {
      const f = it.fragment;
      // Unordered fragments need no entry: the new cumulative TSN alone skips them.
      if (f.unordered) continue;
      if (!last.has(f.streamId) && last.size >= room) {
        point = it.tsn - 1;
        break;
      }
      last.set(f.streamId, f.ssn);
    }
    return {
      type: 'forward-tsn',
      newCumulativeTsn: wrap32(point),
      skipped: [...last].map(([streamId, ssn]) => ({ streamId, ssn })),
    };
  }
}
