import type { RtcpPacket, RtcpReportBlock } from '@purertc/srtp';
import type { OutboundStream } from './outbound-stream.js';
import { cnameSdes, type InboundStream } from './rtcp-section.js';

/** RFC 3550 6.4.1: at most 31 report blocks per SR/RR. */
const MAX_REPORT_BLOCKS = 31;

/** The streams one report compound speaks for (the whole session, or one transport's). */
export interface ReportScope {
  readonly cname: string;
  readonly inbound: Iterable<InboundStream>;
  /** Our streams; those in `ended` said BYE and are no longer reported. */
  readonly outbound: Iterable<OutboundStream>;
  readonly ended: ReadonlySet<number>;
  /** The SSRC an RR names when none of our streams here sent. */
  readonly receiverSsrc: number;
}

/**
 * RFC 3550 6.4: one SR per SSRC of ours that sent (the report blocks on the first), else an RR;
 * then SDES with our CNAME for each of those SSRCs (6.5.1).
 */
export function reportCompound(
  scope: ReportScope,
  now: number,
  wallClockMs: number,
): { packets: RtcpPacket[]; ssrcs: number[]; receiveOnly: boolean } {
  const blocks: RtcpReportBlock[] = [];
  for (const inbound of scope.inbound) {
    const block = inbound.stats.reportBlock(now);
    if (block && blocks.length < MAX_REPORT_BLOCKS) blocks.push(block);
  }
  const packets: RtcpPacket[] = [];
  const ssrcs: number[] = [];
  for (const stream of scope.outbound) {
    if (scope.ended.has(stream.ssrc)) continue;
    const info = stream.senderInfo(now, wallClockMs);
    if (!info) continue;
    packets.push({
      type: 'sr',
      ssrc: stream.ssrc,
      ...info,
      reports: packets.length === 0 ? blocks : [],
      profileExtension: new Uint8Array(0),
    });
    ssrcs.push(stream.ssrc);
  }
  const receiveOnly = packets.length === 0;
  if (receiveOnly) {
    const ssrc = scope.receiverSsrc;
    packets.push({ type: 'rr', ssrc, reports: blocks, profileExtension: new Uint8Array(0) });
    ssrcs.push(ssrc);
  }
  packets.push(cnameSdes(scope.cname, ssrcs));
  return { packets, ssrcs, receiveOnly };
}
