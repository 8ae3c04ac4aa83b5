import type { TransportCcFeedback } from '@purertc/srtp';
import type { RtcpSection } from './rtcp-section.js';
import { MAX_WINDOW, TransportCcFeedbackGenerator } from './transport-cc-feedback.js';

/** The feedback of one sequence space, with the SSRCs its RTCP header names. */
export interface TransportCcDue {
  /** One of our SSRCs on the transport the packets came over, so the feedback leaves there. */
  readonly senderSsrc: number;
  /** The latest remote SSRC that carried the extension in this space. */
  readonly mediaSsrc: number;
  readonly feedback: readonly TransportCcFeedback[];
}

interface SequenceSpace {
  readonly generator: TransportCcFeedbackGenerator;
  senderSsrc: number;
  mediaSsrc: number;
}

/** The key of the space every transport shares until the sender shows it numbers them apart. */
const SHARED: unique symbol = Symbol('one space for every transport');
/** How many recent sequence numbers remember the transport they came over. */
const RECENT = 1024;

/**
 * Transport-cc feedback when sections may ride on several transports (RFC 9143 refused). The
 * draft numbers "transport-wide", and senders differ on what that means without BUNDLE: Chrome
 * 156 numbers one space across all its transports (measured: audio and video interleave, no
 * number repeats), while a sender with a counter per transport repeats numbers across them.
 * Merging separate spaces reports one transport's packets as the other's duplicates; splitting
 * one space reports each transport's packets as the other's losses. So all transports share one
 * generator until the sender shows separate spaces (a number seen on two transports, or numbers
 * on two transports too far apart to be one sequence); from then on each transport has its own.
 */
export class TransportCcReceivers {
  readonly #spaces = new Map<unknown, SequenceSpace>();
  /** Sticky: the remote numbers each transport on its own. */
  #perTransport = false;
  readonly #recentOwner = new Map<number, unknown>();
  readonly #latestByTransport = new Map<unknown, number>();
  #retiredSent = 0;
  #retiredLate = 0;

  /** True once the remote was seen numbering its transports separately. */
  get separateSpaces(): boolean {
    return this.#perTransport;
  }

  onPacket(section: RtcpSection, sequenceNumber: number, mediaSsrc: number, now: number): void {
    const transport = section.transportKey;
    const seq = sequenceNumber & 0xffff;
    if (!this.#perTransport && this.#showsSeparateSpaces(transport, seq)) this.#perTransport = true;
    const key = this.#perTransport ? transport : SHARED;
    let space = this.#spaces.get(key);
    if (!space) {
      space = { generator: new TransportCcFeedbackGenerator(), senderSsrc: section.ssrc, mediaSsrc };
      this.#spaces.set(key, space);
    }
    space.generator.onPacket(seq, now);
    space.senderSsrc = section.ssrc;
    space.mediaSsrc = mediaSsrc;
  }

  poll(now: number): TransportCcDue[] {
    const due: TransportCcDue[] = [];
    for (const space of this.#spaces.values()) {
      const feedback = space.generator.poll(now);
      if (feedback.length > 0)
        due.push({ senderSsrc: space.senderSsrc, mediaSsrc: space.mediaSsrc, feedback });
    }
    return due;
  }

  nextDeadline(): number | undefined {
    let at: number | undefined;
    for (const { generator } of this.#spaces.values()) {
      const t = generator.nextDeadline();
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    return at;
  }

  /** Forgets the spaces of transports no section uses any more (after a bundling answer). */
  retain(sections: readonly RtcpSection[]): void {
    const live = new Set<unknown>(sections.map((s) => s.transportKey));
    live.add(SHARED);
    for (const [key, space] of this.#spaces) {
      if (live.has(key)) continue;
      this.#retiredSent += space.generator.feedbackSent;
      this.#retiredLate += space.generator.lateOrDuplicate;
      this.#spaces.delete(key);
    }
    for (const key of [...this.#latestByTransport.keys()]) {
      if (!live.has(key)) this.#latestByTransport.delete(key);
    }
  }

  get feedbackSent(): number {
    let n = this.#retiredSent;
    for (const { generator } of this.#spaces.values()) n += generator.feedbackSent;
    return n;
  }

  get lateOrDuplicate(): number {
    let n = this.#retiredLate;
    for (const { generator } of this.#spaces.values()) n += generator.lateOrDuplicate;
    return n;
  }

  #showsSeparateSpaces(transport: unknown, seq: number): boolean {
    const owner = this.#recentOwner.get(seq);
    let separate = owner !== undefined && owner !== transport;
    for (const [other, latest] of this.#latestByTransport) {
      if (other === transport) continue;
      const apart = Math.abs(seq - latest);
      if (Math.min(apart, 0x10000 - apart) >= MAX_WINDOW) separate = true;
    }
    this.#latestByTransport.set(transport, seq);
    this.#recentOwner.delete(seq);
    this.#recentOwner.set(seq, transport);
    if (this.#recentOwner.size > RECENT) {
      const oldest = this.#recentOwner.keys().next().value;
      if (oldest !== undefined) this.#recentOwner.delete(oldest);
    }
    return separate;
  }
}
