import type { TransportCcFeedback, TransportCcPacketStatus } from '@purertc/srtp';

/** Chrome's receive-side default: one feedback per 100 ms while packets arrive. */
export const TRANSPORT_CC_INTERVAL_MS = 100;
/**
 * Statuses per feedback message. Chrome stays under ~1200 bytes per feedback; 500 statuses cost at
 * most 1000 delta bytes plus their chunks, so a message always fits one datagram.
 */
export const MAX_STATUSES_PER_FEEDBACK = 500;
/** A window wider than this restarts at the newest packet, so memory stays bounded. */
export const MAX_WINDOW = 4096;
/** Send early once this many packets wait, so a high-rate stream is not reported in bursts. */
const EARLY_FEEDBACK_PACKETS = 200;
/** draft-holmer-rmcat-transport-wide-cc-extensions-01 3.1: the reference time counts 64 ms. */
const REFERENCE_TIME_UNIT_MS = 64;
/** 3.1.5: receive deltas count 250 microseconds. */
const DELTA_UNITS_PER_MS = 4;

/**
 * Receive side of transport-wide congestion control
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01), sans-I/O: `onPacket` records when each
 * transport-wide sequence number arrived (`now`, ms), `poll` returns the feedback messages due
 * (every {@link TRANSPORT_CC_INTERVAL_MS} of the caller's clock, or earlier after
 * many packets). Sequence numbers are unwrapped across 65535 -> 0; a packet older than what was
 * already reported, or a duplicate, is counted and otherwise ignored (the sender has already
 * taken it as lost or received).
 */
export class TransportCcFeedbackGenerator {
  /** Arrival time (ms) per extended sequence number from `#start`; NaN when not (yet) received. */
  #arrivals: number[] = [];
  /** Extended sequence number of `#arrivals[0]`: the next one to report. */
  #start = -1;
  #highest = -1;
  #feedbackCount = 0;
  #nextFeedbackAt: number | undefined;
  readonly #intervalMs: number;
  lateOrDuplicate = 0;
  feedbackSent = 0;

  constructor(intervalMs: number = TRANSPORT_CC_INTERVAL_MS) {
    this.#intervalMs = intervalMs;
  }

  /** Records one arrival; `sequenceNumber` is the 16-bit value of the header extension. */
  onPacket(sequenceNumber: number, now: number): void {
    const ext = this.#unwrap(sequenceNumber & 0xffff);
    if (this.#start < 0) {
      this.#start = ext;
      this.#highest = ext;
    }
    if (ext < this.#start - MAX_WINDOW) {
      // Far behind what was reported: the sender restarted its numbering (or the unwrap clamped
      // at 0); following it beats counting every later packet as late.
      this.#arrivals = [];
      this.#start = ext;
      this.#highest = ext;
    }
    if (ext < this.#start) {
      this.lateOrDuplicate++;
      return;
    }
    if (ext - this.#start >= MAX_WINDOW) {
      // A jump this large is a restarted sender or garbage: what waited unreported is dropped
      // and the window starts over here rather than grow without bound.
      this.#arrivals = [];
      this.#start = ext;
    }
    if (ext > this.#highest) this.#highest = ext;
    const index = ext - this.#start;
    while (this.#arrivals.length <= index) this.#arrivals.push(Number.NaN);
    if (!Number.isNaN(this.#arrivals[index]!)) {
      this.lateOrDuplicate++;
      return;
    }
    this.#arrivals[index] = now;
    this.#nextFeedbackAt ??= now + this.#intervalMs;
    if (this.#arrivals.length >= EARLY_FEEDBACK_PACKETS) this.#nextFeedbackAt = now;
  }

  /** Sequence numbers held for the next message (never more than {@link MAX_WINDOW}). */
  get pendingCount(): number {
    return this.#arrivals.length;
  }

  nextDeadline(): number | undefined {
    return this.#nextFeedbackAt;
  }

  /** The feedback messages due at `now` (empty when none), each ready for `encodeTransportCc`. */
  poll(now: number): TransportCcFeedback[] {
    if (this.#nextFeedbackAt === undefined || now < this.#nextFeedbackAt) return [];
    this.#nextFeedbackAt = undefined;
    const out: TransportCcFeedback[] = [];
    while (this.#arrivals.length > 0) {
      const feedback = this.#buildOne();
      if (feedback) out.push(feedback);
    }
    this.feedbackSent += out.length;
    return out;
  }

  #unwrap(seq: number): number {
    if (this.#highest < 0) return seq;
    const base = this.#highest & 0xffff;
    let diff = seq - base;
    if (diff > 0x8000) diff -= 0x10000;
    else if (diff < -0x8000) diff += 0x10000;
    return Math.max(0, this.#highest + diff);
  }

  /** Consumes statuses from the front of the window into one message (undefined if none received). */
  #buildOne(): TransportCcFeedback | undefined {
    const n = this.#arrivals.length;
    let firstReceived = 0;
    while (firstReceived < n && Number.isNaN(this.#arrivals[firstReceived]!)) firstReceived++;
    if (firstReceived === n) {
      this.#consume(n);
      return undefined;
    }
    // A loss run longer than one message is dropped rather than reported alone: a message
    // needs a received packet for its reference time.
    const skip = Math.max(0, firstReceived - (MAX_STATUSES_PER_FEEDBACK - 1));
    this.#consume(skip);
    firstReceived -= skip;
    const baseSequenceNumber = this.#start & 0xffff;
    const referenceTime = Math.floor(this.#arrivals[firstReceived]! / REFERENCE_TIME_UNIT_MS);
    let previous = referenceTime * REFERENCE_TIME_UNIT_MS * DELTA_UNITS_PER_MS;
    const packets: TransportCcPacketStatus[] = [];
    let lastReceived = firstReceived;
    for (let i = 0; i < this.#arrivals.length && packets.length < MAX_STATUSES_PER_FEEDBACK; i++) {
      const arrival = this.#arrivals[i]!;
      const sequenceNumber = (this.#start + i) & 0xffff;
      if (Number.isNaN(arrival)) {
        packets.push({ sequenceNumber, status: 0 });
        continue;
      }
      const at = Math.round(arrival * DELTA_UNITS_PER_MS);
      const delta = at - previous;
      // 3.1.5: a delta that does not fit 16 signed bits ends this message; the rest follows.
      if (delta < -0x8000 || delta > 0x7fff) break;
      packets.push({ sequenceNumber, status: delta >= 0 && delta <= 0xff ? 1 : 2, delta });
      previous = at;
      lastReceived = i;
    }
    // A message ends on a received packet; losses after it go into the next one.
    packets.length = lastReceived + 1;
    this.#consume(lastReceived + 1);
    const wrapped = ((referenceTime % 0x1000000) + 0x1000000) % 0x1000000;
    const feedback: TransportCcFeedback = {
      baseSequenceNumber,
      // 3.1: 24-bit signed; wraps after ~12 days of the caller's clock.
      referenceTime: wrapped >= 0x800000 ? wrapped - 0x1000000 : wrapped,
      feedbackPacketCount: this.#feedbackCount,
      packets,
    };
    this.#feedbackCount = (this.#feedbackCount + 1) & 0xff;
    return feedback;
  }

  #consume(n: number): void {
    if (n <= 0) return;
    this.#arrivals.splice(0, n);
    this.#start += n;
  }
}
