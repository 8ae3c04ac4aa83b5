export { PacketParseError, type PacketParseErrorCode } from './parse-error.js';
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
