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
