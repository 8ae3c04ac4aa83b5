import { type Chunk, chunkLength, parseChunk, writeChunk } from './chunk.js';
import { parseDataValue } from './chunks/data.js';
import { COMMON_HEADER_LENGTH, type CommonHeader, writeCommonHeader } from './common-header.js';
import { crc32c } from './crc32c.js';
import { fail } from './parse-error.js';

export interface SctpPacket extends CommonHeader {
  chunks: Chunk[];
}

export interface ParseOptions {
  /** Accept a packet whose checksum field is zero (RFC 9653: only when we advertised it). */
  acceptZeroChecksum?: boolean;
  /** Skip the CRC check altogether (tests, fuzzing). */
  skipChecksum?: boolean;
}

export interface ParsedPacket extends SctpPacket {
  /** True when the checksum field was zero and accepted as such. */
  zeroChecksum: boolean;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Checksum as the value stored at bytes 8..11 (RFC 9260 Appendix B: little-endian). */
export function packetChecksum(buf: Uint8Array): number {
  let c = crc32c(buf, 0, 0, 8);
  c = crc32c(ZERO4, c);
  return crc32c(buf, c, 12, buf.length);
}
const ZERO4 = new Uint8Array(4);

/**
 * Parses an SCTP packet (RFC 9260 3). Throws only SctpParseError: bad checksum, truncated
 * chunk headers, chunk lengths past the packet or below 4.
 */
export function parsePacket(bytes: Uint8Array, options: ParseOptions = {}): ParsedPacket {
  const buf = asBuffer(bytes);
  if (buf.length < COMMON_HEADER_LENGTH) fail('packet shorter than the common header');
  const stored = buf.readUInt32LE(8);
  let zeroChecksum = false;
  if (!options.skipChecksum) {
    if (stored === 0 && options.acceptZeroChecksum) zeroChecksum = true;
    else if (stored !== packetChecksum(buf)) fail('bad checksum');
  }
  const chunks: Chunk[] = [];
  let off = COMMON_HEADER_LENGTH;
  while (off < buf.length) {
    if (buf.length - off < 4) fail('truncated chunk header');
    const code = buf[off]!;
    const flags = buf[off + 1]!;
    const length = buf.readUInt16BE(off + 2);
    if (length < 4) fail('chunk length below 4');
    if (off + length > buf.length) fail('chunk length past the end of the packet');
    chunks.push(
      code === 0
        ? parseDataValue(flags, buf, off + 4, off + length)
        : parseChunk(code, flags, buf.subarray(off + 4, off + length)),
    );
    off += (length + 3) & ~3;
  }
  return {
    sourcePort: buf.readUInt16BE(0),
    destinationPort: buf.readUInt16BE(2),
    verificationTag: buf.readUInt32BE(4),
    chunks,
    zeroChecksum,
  };
}

export function packetLength(chunks: readonly Chunk[]): number {
  let n = COMMON_HEADER_LENGTH;
  for (const c of chunks) n += (chunkLength(c) + 3) & ~3;
  return n;
}

/** Serializes the packet; with `zeroChecksum` the checksum field stays 0 (RFC 9653). */
export function serializePacket(packet: SctpPacket, zeroChecksum = false): Buffer {
  const buf = Buffer.allocUnsafe(packetLength(packet.chunks));
  writeCommonHeader(packet, buf);
  let off = COMMON_HEADER_LENGTH;
  for (const c of packet.chunks) off = writeChunk(c, buf, off);
  if (!zeroChecksum) buf.writeUInt32LE(crc32c(buf), 8);
  return buf;
}
