import { fail } from './parse-error.js';

/** RFC 9260 3.1: source port, destination port, verification tag, checksum. */
export interface CommonHeader {
  sourcePort: number;
  destinationPort: number;
  verificationTag: number;
}

export const COMMON_HEADER_LENGTH = 12;

export function parseCommonHeader(buf: Buffer): CommonHeader {
  if (buf.length < COMMON_HEADER_LENGTH) fail('packet shorter than the common header');
  return {
    sourcePort: buf.readUInt16BE(0),
    destinationPort: buf.readUInt16BE(2),
    verificationTag: buf.readUInt32BE(4),
  };
}

export function writeCommonHeader(h: CommonHeader, buf: Buffer): void {
  buf.writeUInt16BE(h.sourcePort, 0);
  buf.writeUInt16BE(h.destinationPort, 2);
  buf.writeUInt32BE(h.verificationTag >>> 0, 4);
  buf.writeUInt32BE(0, 8);
}
