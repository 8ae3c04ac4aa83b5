/**
 * @purertc/srtp: RTP and RTCP packets (RFC 3550, RFC 8285, RFC 4585, RFC 5104, RFC 5506) and
 * SRTP/SRTCP (RFC 3711, RFC 7714) for the four DTLS-SRTP profiles, sans-I/O.
 *
 * Typical use from a DTLS-SRTP peer: `SrtpSession.fromExporter(exporterOutput, profile, role)`,
 * then `protectRtp` / `unprotectRtp` (and the RTCP pair) per packet. Unprotect returns a result
 * union whose failures (`malformed`, `auth`, `replay`, `ssrc-limit`) are also counted in
 * `SrtpContext.stats`; protect throws `SrtpError` only for packets the caller built wrongly.
 * Every returned packet is a new buffer; parsed packets are views over the input bytes.
 */
export { PacketParseError, type PacketParseErrorCode } from './parse-error.js';
export { parseRtcp } from './rtcp/rtcp-parse.js';
export { serializeRtcp } from './rtcp/rtcp-serialize.js';
export type {
  RtcpApplicationDefined,
  RtcpExtendedReport,
  RtcpFullIntraRequest,
  RtcpGenericNack,
  RtcpGoodbye,
  RtcpNackItem,
  RtcpOtherFeedback,
  RtcpPacket,
  RtcpPictureLossIndication,
  RtcpReceiverEstimatedMaxBitrate,
  RtcpReceiverReport,
  RtcpReportBlock,
  RtcpSdesItem,
  RtcpSenderReport,
  RtcpSourceDescription,
  RtcpTransportCc,
  RtcpUnknown,
  RtcpXrBlock,
} from './rtcp/rtcp-types.js';
export { RtcpPacketType } from './rtcp/rtcp-types.js';
export {
  decodeTransportCc,
  encodeTransportCc,
  type TransportCcFeedback,
  type TransportCcPacketStatus,
  type TransportCcStatus,
} from './rtcp/transport-cc.js';
export {
  isTwoByteProfile,
  ONE_BYTE_EXTENSION_PROFILE,
  parseExtensionElements,
  type RtpExtensionElement,
  serializeExtensionElements,
  TWO_BYTE_EXTENSION_PROFILE,
} from './rtp/header-extensions.js';
export {
  parseRtp,
  RTP_FIXED_HEADER_LENGTH,
  type RtpHeaderExtension,
  type RtpPacket,
  rtpHeaderLength,
  rtpPacketLength,
  serializeRtp,
} from './rtp/rtp-packet.js';
export { deriveSessionKeys, type SrtpSessionKeys } from './srtp/key-derivation.js';
export {
  isSrtpProfileId,
  SrtpProfile,
  type SrtpProfileId,
  type SrtpProfileParameters,
  srtpProfileParameters,
} from './srtp/profiles.js';
export { ReplayWindow } from './srtp/replay-window.js';
export { estimateIndex } from './srtp/rollover.js';
export {
  SrtpContext,
  type SrtpContextOptions,
  type SrtpDropReason,
  SrtpError,
  type SrtpStats,
  type SrtpUnprotectResult,
} from './srtp/srtp-context.js';
export {
  type SrtpKeyPair,
  SrtpSession,
  type SrtpSessionOptions,
  srtpExporterLength,
  srtpKeysFromExporter,
} from './srtp/srtp-session.js';
