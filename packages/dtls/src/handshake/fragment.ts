import { ByteReader } from '../bytes.js';
import { DtlsParseError } from '../errors.js';

/** One handshake fragment with its DTLS header (RFC 6347 4.2.2). */
export interface HandshakeFragment {
  msgType: number;
  /** Length of the whole message. */
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  body: Buffer;
}

export const HANDSHAKE_HEADER_LENGTH = 12;

/** Parses every handshake fragment a record carries (a record may hold several, RFC 6347 4.2.3). */
export function parseHandshakeFragments(payload: Buffer): HandshakeFragment[] {
  const reader = new ByteReader(payload);
  const out: HandshakeFragment[] = [];
  while (reader.remaining > 0) {
    const msgType = reader.u8();
    const length = reader.u24();
    const messageSeq = reader.u16();
    const fragmentOffset = reader.u24();
    const fragmentLength = reader.u24();
    if (fragmentOffset + fragmentLength > length) {
      throw new DtlsParseError('handshake fragment extends past the message length');
    }
    out.push({ msgType, length, messageSeq, fragmentOffset, body: reader.bytes(fragmentLength) });
  }
  return out;
}

export function encodeHandshakeFragment(f: HandshakeFragment): Buffer {
  const out = Buffer.allocUnsafe(HANDSHAKE_HEADER_LENGTH + f.body.length);
  out[0] = f.msgType;
  out.writeUIntBE(f.length, 1, 3);
  out.writeUInt16BE(f.messageSeq, 4);
  out.writeUIntBE(f.fragmentOffset, 6, 3);
  out.writeUIntBE(f.body.length, 9, 3);
  f.body.copy(out, HANDSHAKE_HEADER_LENGTH);
  return out;
}

/** The unfragmented form, as it enters the transcript hash (RFC 6347 4.2.6). */
export function encodeWholeMessage(msgType: number, messageSeq: number, body: Buffer): Buffer {
  return encodeHandshakeFragment({ msgType, length: body.length, messageSeq, fragmentOffset: 0, body });
}

/** Splits a message into fragments whose encoded size (header included) is at most `maxFragment`. */
export function fragmentMessage(
  msgType: number,
  messageSeq: number,
  body: Buffer,
  maxFragment: number,
): HandshakeFragment[] {
  const room = Math.max(1, maxFragment - HANDSHAKE_HEADER_LENGTH);
  if (body.length === 0) return [{ msgType, length: 0, messageSeq, fragmentOffset: 0, body }];
  const out: HandshakeFragment[] = [];
  for (let off = 0; off < body.length; off += room) {
    out.push({
      msgType,
      length: body.length,
      messageSeq,
      fragmentOffset: off,
      body: body.subarray(off, Math.min(body.length, off + room)),
    });
  }
  return out;
}
