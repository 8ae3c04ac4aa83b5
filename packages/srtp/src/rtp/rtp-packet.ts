import { PacketParseError } from '../parse-error.js';

/** The RTP header extension block of RFC 3550 5.3.1; `data` excludes the 4-byte profile/length word. */
export interface RtpHeaderExtension {
  profile: number;
  data: Uint8Array;
}

/**
 * An RTP packet (RFC 3550 5.1). `payload` and `extension.data` are views into the parsed bytes,
 * so they are only valid while the caller keeps those bytes unchanged.
 */
export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | undefined;
  payload: Uint8Array;
  /** Padding octets after the payload, including the count octet; 0 when the P bit is clear. */
  paddingLength: number;
}

export const RTP_FIXED_HEADER_LENGTH = 12;

/**
 * The byte length of the RTP header (fixed part, CSRCs and extension) of `bytes`, or throws. Used by
 * SRTP, which must not parse more than it needs on the hot path.
 */
export function rtpHeaderLength(bytes: Uint8Array, end: number = bytes.length): number {
  if (end < RTP_FIXED_HEADER_LENGTH) throw new PacketParseError('too-short', 'RTP packet under 12 bytes');
  const b0 = bytes[0]!;
  if (b0 >> 6 !== 2) throw new PacketParseError('bad-version', 'RTP version is not 2');
  let offset = RTP_FIXED_HEADER_LENGTH + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (offset + 4 > end) throw new PacketParseError('length-overrun', 'RTP extension header overruns');
    const words = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    offset += 4 + words * 4;
  }
  if (offset > end) throw new PacketParseError('length-overrun', 'RTP header overruns the packet');
  return offset;
}

/** Parses an RTP packet without copying (RFC 3550 5.1); throws only {@link PacketParseError}. */
export function parseRtp(bytes: Uint8Array): RtpPacket {
  const headerLength = rtpHeaderLength(bytes);
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csrcCount = b0 & 0x0f;
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(12 + i * 4));
  let extension: RtpHeaderExtension | undefined;
  if (b0 & 0x10) {
    const at = 12 + csrcCount * 4;
    extension = { profile: view.getUint16(at), data: bytes.subarray(at + 4, headerLength) };
  }
  let paddingLength = 0;
  if (b0 & 0x20) {
    // RFC 3550 5.1: the last octet counts the padding, itself included, so 0 is not valid.
    paddingLength = bytes[bytes.length - 1]!;
    if (paddingLength === 0 || headerLength + paddingLength > bytes.length) {
      throw new PacketParseError('bad-padding', 'RTP padding count is 0 or exceeds the payload');
    }
  }
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: bytes.subarray(headerLength, bytes.length - paddingLength),
    paddingLength,
  };
}

/** The serialized size of `packet`. */
export function rtpPacketLength(packet: RtpPacket): number {
  const ext = packet.extension ? 4 + ((packet.extension.data.length + 3) & ~3) : 0;
  return 12 + packet.csrcs.length * 4 + ext + packet.payload.length + packet.paddingLength;
}

/**
 * Writes `packet` into `out` at `offset` (or a new buffer) and returns the bytes written. Padding
 * octets are zero with the count in the last one (RFC 3550 5.1); extension data is zero-padded to
 * 32 bits.
 */
export function serializeRtp(packet: RtpPacket, out?: Uint8Array, offset = 0): Uint8Array {
  validateForSerialize(packet);
  const length = rtpPacketLength(packet);
  const buf = out ?? new Uint8Array(length);
  if (offset + length > buf.length) throw new RangeError('output buffer too small for RTP packet');
  const view = new DataView(buf.buffer, buf.byteOffset + offset, length);
  view.setUint8(
    0,
    0x80 | (packet.paddingLength > 0 ? 0x20 : 0) | (packet.extension ? 0x10 : 0) | packet.csrcs.length,
  );
  view.setUint8(1, (packet.marker ? 0x80 : 0) | packet.payloadType);
  view.setUint16(2, packet.sequenceNumber);
  view.setUint32(4, packet.timestamp);
  view.setUint32(8, packet.ssrc);
  let at = 12;
  for (const csrc of packet.csrcs) {
    view.setUint32(at, csrc);
    at += 4;
  }
  if (packet.extension) {
    const padded = (packet.extension.data.length + 3) & ~3;
    view.setUint16(at, packet.extension.profile);
    view.setUint16(at + 2, padded / 4);
    buf.set(packet.extension.data, offset + at + 4);
    buf.fill(0, offset + at + 4 + packet.extension.data.length, offset + at + 4 + padded);
    at += 4 + padded;
  }
  buf.set(packet.payload, offset + at);
  at += packet.payload.length;
  if (packet.paddingLength > 0) {
    buf.fill(0, offset + at, offset + at + packet.paddingLength - 1);
    view.setUint8(at + packet.paddingLength - 1, packet.paddingLength);
  }
  return buf.subarray(offset, offset + length);
}

function validateForSerialize(p: RtpPacket): void {
  if (p.csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  if (p.payloadType < 0 || p.payloadType > 127) throw new RangeError('payload type out of range');
  if (p.paddingLength < 0 || p.paddingLength > 255) throw new RangeError('padding length out of range');
  if (p.extension && p.extension.data.length > 0xffff * 4) throw new RangeError('extension too long');
}
