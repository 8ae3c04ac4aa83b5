import type { RtcpReportBlock } from '@purertc/srtp';
import { msToCompact } from './ntp.js';

/**
 * Receive statistics of one inbound SSRC (RFC 3550 A.1 sequence tracking, A.3 loss, A.8
 * interarrival jitter) and what a report block about it needs (LSR/DLSR, 6.4.1).
 */
export class ReceiveStatistics {
  readonly ssrc: number;
  readonly clockRate: number;
  #base = -1;
  #cycles = 0;
  #maxSeq = 0;
  #received = 0;
  #bytes = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  /** A.8 jitter in timestamp units, kept as a float; reported truncated. */
  #jitter = 0;
  #lastTransit: number | undefined;
  #lastSr: { compact: number; arrivedAt: number } | undefined;

  constructor(ssrc: number, clockRate: number) {
    this.ssrc = ssrc;
    this.clockRate = clockRate > 0 ? clockRate : 90000;
  }

  /**
   * Counts one packet. `now` (ms, monotonic) is its arrival time; the jitter compares it, in
   * codec clock units, with the RTP timestamp.
   */
  record(sequenceNumber: number, rtpTimestamp: number, now: number, bytes = 0): void {
    const seq = sequenceNumber & 0xffff;
    this.#received++;
    this.#bytes += bytes;
    if (this.#base < 0) {
      this.#base = seq;
      this.#maxSeq = seq;
    } else {
      const delta = (seq - this.#maxSeq) & 0xffff;
      // RFC 3550 A.1: a forward step under half the space is in order (maybe wrapping).
      if (delta !== 0 && delta < 0x8000) {
        if (seq < this.#maxSeq) this.#cycles += 0x10000;
        this.#maxSeq = seq;
      }
    }
    // RFC 3550 A.8: D = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16, in timestamp units; the
    // transit difference is taken modulo 2^32 so timestamp wrap does not spike it.
    const arrival = Math.floor((now * this.clockRate) / 1000);
    const transit = (arrival - rtpTimestamp) | 0;
    if (this.#lastTransit !== undefined) {
      const d = Math.abs((transit - this.#lastTransit) | 0);
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#lastTransit = transit;
  }

  /**
   * A packet recovered by retransmission: it fills its gap in the loss count, but its arrival
   * time says nothing about network jitter (RFC 4588 and webrtc-stats keep it out of jitter).
   */
  recordRecovered(sequenceNumber: number, bytes = 0): void {
    const lastTransit = this.#lastTransit;
    const jitter = this.#jitter;
    this.record(sequenceNumber, 0, 0, bytes);
    this.#lastTransit = lastTransit;
    this.#jitter = jitter;
  }

  /** RFC 3550 6.4.1: remember the SR's NTP middle bits and when it came, for LSR/DLSR. */
  recordSenderReport(compactNtp: number, now: number): void {
    this.#lastSr = { compact: compactNtp, arrivedAt: now };
  }

  get packetsReceived(): number {
    return this.#received;
  }

  get bytesReceived(): number {
    return this.#bytes;
  }

  get extendedHighestSequenceNumber(): number {
    return this.#cycles + this.#maxSeq;
  }

  /** RFC 3550 6.4.1 cumulative number lost (expected minus received; duplicates can make it < 0). */
  get packetsLost(): number {
    if (this.#base < 0) return 0;
    return this.extendedHighestSequenceNumber - this.#base + 1 - this.#received;
  }

  /** Interarrival jitter in timestamp units (RFC 3550 6.4.1). */
  get jitter(): number {
    return Math.floor(this.#jitter);
  }

  /** Jitter in seconds, as webrtc-stats reports it. */
  get jitterSeconds(): number {
    return this.#jitter / this.clockRate;
  }

  /**
   * The report block for this source; moves the A.3 interval markers, so call it once per
   * report sent. Undefined before the first packet.
   */
  reportBlock(now: number): RtcpReportBlock | undefined {
    if (this.#base < 0) return undefined;
    const expected = this.extendedHighestSequenceNumber - this.#base + 1;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    // RFC 3550 A.3: fraction lost in 1/256, zero when duplicates outnumber losses.
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    // 24-bit signed field: clamp instead of wrapping.
    const lost = Math.max(-0x800000, Math.min(0x7fffff, this.packetsLost));
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(fractionLost, 255),
      packetsLost: lost,
      highestSequence: this.extendedHighestSequenceNumber >>> 0,
      jitter: this.jitter >>> 0,
      lastSenderReport: this.#lastSr?.compact ?? 0,
      delaySinceLastSenderReport: this.#lastSr ? msToCompact(now - this.#lastSr.arrivedAt) : 0,
    };
  }
}
