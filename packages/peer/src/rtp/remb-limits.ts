import type { RtcpPacket } from '@purertc/srtp';
import { hasFeedback, type InboundStream, type RtcpSection } from './rtcp-section.js';

/** draft-alvestrand-rmcat-remb 2.2: at most 255 SSRCs in one REMB. */
const MAX_REMB_SSRCS = 255;

/**
 * The bitrates (bps) the application asked the remote senders to stay under, per section, and
 * the REMB message that carries them: the lowest limit, naming the limited sections' media SSRCs.
 */
export class RembLimits {
  readonly #limits = new Map<RtcpSection, number>();

  /** Sets or (undefined) clears a limit; false when the section did not negotiate goog-remb. */
  set(section: RtcpSection, bitsPerSecond: number | undefined): boolean {
    if (bitsPerSecond === undefined) {
      this.#limits.delete(section);
      return true;
    }
    if (!hasFeedback(section, 'goog-remb')) return false;
    this.#limits.set(section, Math.max(0, Math.floor(bitsPerSecond)));
    return true;
  }

  packet(senderSsrc: number, inbound: ReadonlyMap<number, InboundStream>): RtcpPacket | undefined {
    if (this.#limits.size === 0) return undefined;
    const bitrate = Math.min(...this.#limits.values());
    const ssrcs: number[] = [];
    for (const [ssrc, stream] of inbound) {
      if (this.#limits.has(stream.section) && ssrcs.length < MAX_REMB_SSRCS) ssrcs.push(ssrc);
    }
    return { type: 'remb', senderSsrc, mediaSsrc: 0, bitrate, ssrcs };
  }
}
