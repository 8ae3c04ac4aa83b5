import type { TransportCcFeedback } from './transport-cc.js';

/** RFC 3550 6.4.1 report block. */
export interface RtcpReportBlock {
  ssrc: number;
  fractionLost: number;
  /** Signed 24-bit cumulative loss. */
  packetsLost: number;
  highestSequence: number;
  jitter: number;
  lastSenderReport: number;
  delaySinceLastSenderReport: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
  profileExtension: Uint8Array;
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
  profileExtension: Uint8Array;
}

export interface RtcpSdesItem {
  /** RFC 3550 6.5: 1 CNAME, 2 NAME, ... 8 PRIV. */
  itemType: number;
  value: Uint8Array;
}

export interface RtcpSourceDescription {
  type: 'sdes';
  chunks: { ssrc: number; items: RtcpSdesItem[] }[];
}

export interface RtcpGoodbye {
  type: 'bye';
  ssrcs: number[];
  reason: Uint8Array | undefined;
}

export interface RtcpApplicationDefined {
  type: 'app';
  subtype: number;
  ssrc: number;
  /** Four ASCII characters (RFC 3550 6.7). */
  name: Uint8Array;
  data: Uint8Array;
}

/** RFC 4585 6.2.1 generic NACK item. */
export interface RtcpNackItem {
  packetId: number;
  lostBitmask: number;
}

export interface RtcpGenericNack {
  type: 'nack';
  senderSsrc: number;
  mediaSsrc: number;
  items: RtcpNackItem[];
}

export interface RtcpTransportCc extends TransportCcFeedback {
  type: 'twcc';
  senderSsrc: number;
  mediaSsrc: number;
}

export interface RtcpPictureLossIndication {
  type: 'pli';
  senderSsrc: number;
  mediaSsrc: number;
}

/** RFC 5104 4.3.1. */
export interface RtcpFullIntraRequest {
  type: 'fir';
  senderSsrc: number;
  mediaSsrc: number;
  entries: { ssrc: number; sequenceNumber: number }[];
}

/** draft-alvestrand-rmcat-remb. */
export interface RtcpReceiverEstimatedMaxBitrate {
  type: 'remb';
  senderSsrc: number;
  mediaSsrc: number;
  /** Bits per second (mantissa * 2^exponent, so exact up to 18 significant bits). */
  bitrate: number;
  ssrcs: number[];
}

/** A transport (205) or payload-specific (206) feedback message of a format not decoded here. */
export interface RtcpOtherFeedback {
  type: 'rtpfb' | 'psfb';
  format: number;
  senderSsrc: number;
  mediaSsrc: number;
  fci: Uint8Array;
}

/** RFC 3611 report block, kept opaque. */
export interface RtcpXrBlock {
  blockType: number;
  typeSpecific: number;
  data: Uint8Array;
}

export interface RtcpExtendedReport {
  type: 'xr';
  ssrc: number;
  blocks: RtcpXrBlock[];
}

export interface RtcpUnknown {
  type: 'unknown';
  packetType: number;
  /** The 5-bit count/subtype/format field. */
  count: number;
  body: Uint8Array;
}

/** One packet of an RTCP compound; byte fields are views into the parsed datagram. */
export type RtcpPacket =
  | RtcpSenderReport
  | RtcpReceiverReport
  | RtcpSourceDescription
  | RtcpGoodbye
  | RtcpApplicationDefined
  | RtcpGenericNack
  | RtcpTransportCc
  | RtcpPictureLossIndication
  | RtcpFullIntraRequest
  | RtcpReceiverEstimatedMaxBitrate
  | RtcpOtherFeedback
  | RtcpExtendedReport
  | RtcpUnknown;

export const RtcpPacketType = {
  senderReport: 200,
  receiverReport: 201,
  sourceDescription: 202,
  goodbye: 203,
  applicationDefined: 204,
  transportFeedback: 205,
  payloadFeedback: 206,
  extendedReport: 207,
} as const;
