import type { RtcpPacket } from '@purertc/srtp';
import type { SdpCodec } from '../sdp/codecs.js';
import type { NackGenerator } from './nack.js';
import type { ReceiveStatistics } from './receive-statistics.js';

/** One negotiated m= section as RTCP sees it. */
export interface RtcpSection {
  readonly kind: 'audio' | 'video';
  readonly codecs: readonly SdpCodec[];
  /** Our SSRC and RTX SSRC on this section. */
  readonly ssrc: number;
  readonly rtxSsrc: number;
  /**
   * The negotiated id of the transport-wide sequence number extension, when this section also
   * agreed `a=rtcp-fb:* transport-cc`; undefined turns transport-cc feedback off.
   */
  readonly transportCcExtensionId?: number | undefined;
  /**
   * Identifies the transport carrying this section (compared by identity): sections on different
   * transports get separate transport-wide sequence spaces once the remote shows it numbers them
   * apart (transport-cc-receivers.ts). Undefined: the only transport.
   */
  readonly transportKey?: unknown;
  /** A PLI or FIR for our SSRC arrived (the app should produce a keyframe). */
  onKeyFrameRequest(kind: 'pli' | 'fir'): void;
  /** RFC 3550 6.6: the remote said BYE for one of the SSRCs it sent on this section. */
  onRemoteBye?(ssrc: number): void;
}

/** Counters of one remote SSRC we receive (webrtc-stats inbound-rtp). */
export interface InboundStream {
  readonly stats: ReceiveStatistics;
  readonly section: RtcpSection;
  readonly nack: NackGenerator | undefined;
  nackCount: number;
  pliCount: number;
  firCount: number;
  firSequence: number;
  /** From the remote's latest SR (webrtc-stats remote-outbound-rtp). */
  remoteSender?: { packetsSent: number; bytesSent: number; remoteTimestampMs: number; reportsSent: number };
  /**
   * RTT measured as a receive-only participant: our XR RRTR answered by the remote's DLRR
   * (RFC 3611 4.4/4.5; webrtc-stats remote-outbound-rtp roundTripTime), seconds.
   */
  receiverRtt?: { roundTripTime: number; totalRoundTripTime: number; roundTripTimeMeasurements: number };
}

export type RtcpOutput = { type: 'rtp'; packet: Uint8Array } | { type: 'rtcp'; packet: Uint8Array };

export function hasFeedback(section: RtcpSection, type: string, parameter?: string): boolean {
  return section.codecs.some((c) => c.feedback.some((f) => f.type === type && f.parameter === parameter));
}

export function readSsrc(packet: Uint8Array): number {
  return ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
}

/** RFC 3550 6.5.1: an SDES packet giving each SSRC our CNAME (item type 1). */
export function cnameSdes(cname: string, ssrcs: readonly number[]): RtcpPacket {
  const value = new TextEncoder().encode(cname);
  return { type: 'sdes', chunks: ssrcs.map((ssrc) => ({ ssrc, items: [{ itemType: 1, value }] })) };
}
