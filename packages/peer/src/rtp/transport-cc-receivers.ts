import type { TransportCcFeedback } from '@purertc/srtp';
import type { RtcpSection } from './rtcp-section.js';
import { TransportCcFeedbackGenerator } from './transport-cc-feedback.js';

/** The feedback of one transport, with the SSRCs its RTCP header names. */
export interface TransportCcDue {
  /** One of our SSRCs on that transport, so the feedback leaves on the transport it reports. */
  readonly senderSsrc: number;
  /** The latest remote SSRC that carried the extension there. */
  readonly mediaSsrc: number;
  readonly feedback: readonly TransportCcFeedback[];
}

interface PerTransport {
  readonly generator: TransportCcFeedbackGenerator;
  senderSsrc: number;
  mediaSsrc: number;
}

/**
 * One transport-cc feedback generator per transport: the transport-wide sequence number counts
 * the packets of one transport (draft-holmer-rmcat-transport-wide-cc-extensions-01 2), so
 * unbundled sections (RFC 9143 not negotiated) have sequence spaces of their own, and merging
 * them would report one transport's packets as the other's losses. Sections without a
 * `transportKey` (a single transport) share one generator.
 */
export class TransportCcReceivers {
  readonly #byTransport = new Map<unknown, PerTransport>();
  #retiredSent = 0;
  #retiredLate = 0;

  onPacket(section: RtcpSection, sequenceNumber: number, mediaSsrc: number, now: number): void {
    const key = section.transportKey;
    let entry = this.#byTransport.get(key);
    if (!entry) {
      entry = { generator: new TransportCcFeedbackGenerator(), senderSsrc: section.ssrc, mediaSsrc };
      this.#byTransport.set(key, entry);
    }
    entry.generator.onPacket(sequenceNumber, now);
    entry.senderSsrc = section.ssrc;
    entry.mediaSsrc = mediaSsrc;
  }

  poll(now: number): TransportCcDue[] {
    const due: TransportCcDue[] = [];
    for (const entry of this.#byTransport.values()) {
      const feedback = entry.generator.poll(now);
      if (feedback.length > 0)
        due.push({ senderSsrc: entry.senderSsrc, mediaSsrc: entry.mediaSsrc, feedback });
    }
    return due;
  }

  nextDeadline(): number | undefined {
    let at: number | undefined;
    for (const { generator } of this.#byTransport.values()) {
      const t = generator.nextDeadline();
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    return at;
  }

  /** Forgets the generators of transports no section uses any more (after a bundling answer). */
  retain(sections: readonly RtcpSection[]): void {
    const live = new Set(sections.map((s) => s.transportKey));
    for (const [key, entry] of this.#byTransport) {
      if (live.has(key)) continue;
      this.#retiredSent += entry.generator.feedbackSent;
      this.#retiredLate += entry.generator.lateOrDuplicate;
      this.#byTransport.delete(key);
    }
  }

  get feedbackSent(): number {
    let n = this.#retiredSent;
    for (const { generator } of this.#byTransport.values()) n += generator.feedbackSent;
    return n;
  }

  get lateOrDuplicate(): number {
    let n = this.#retiredLate;
    for (const { generator } of this.#byTransport.values()) n += generator.lateOrDuplicate;
    return n;
  }
}
