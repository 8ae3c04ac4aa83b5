import { ByteReader } from '../bytes.js';
import { DtlsParseError } from '../errors.js';

/** A DTLS 1.2 record as it sits on the wire (RFC 6347 4.1). DTLS 1.3's unified header is a separate codec. */
export interface DtlsRecord {
  type: number;
  version: number;
  epoch: number;
  /** 48-bit sequence number. */
  seq: number;
  fragment: Buffer;
}

export const RECORD_HEADER_LENGTH = 13;
/** RFC 6347 4.1 / RFC 5246 6.2.3: a protected fragment may be at most 2^14 + 2048 bytes. */
export const MAX_RECORD_FRAGMENT = 16384 + 2048;

const KNOWN_CONTENT_TYPES = new Set([20, 21, 22, 23]);

export function parseRecord(reader: ByteReader): DtlsRecord {
  const type = reader.u8();
  if (!KNOWN_CONTENT_TYPES.has(type)) throw new DtlsParseError(`unknown content type ${type}`);
  const version = reader.u16();
  // Every DTLS version has 0xfe as its major byte; anything else is not DTLS (RFC 7983 demux aside).
  if (version >>> 8 !== 0xfe) throw new DtlsParseError(`not a DTLS version: ${version.toString(16)}`);
  const epoch = reader.u16();
  const seq = reader.u48();
  const fragment = reader.vector(2, 0, MAX_RECORD_FRAGMENT);
  return { type, version, epoch, seq, fragment };
}

/**
 * Splits a datagram into records (RFC 6347 4.1.1: several records may share a datagram). A malformed
 * record makes the rest unparseable, so the records before it are kept and the rest is reported.
 */
export function parseDatagram(datagram: Buffer): { records: DtlsRecord[]; malformed: boolean } {
  const reader = new ByteReader(datagram);
  const records: DtlsRecord[] = [];
  while (reader.remaining > 0) {
    try {
      records.push(parseRecord(reader));
    } catch (e) {
      if (e instanceof DtlsParseError) return { records, malformed: true };
      throw e;
    }
  }
  return { records, malformed: false };
}

export function encodeRecord(r: DtlsRecord): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + r.fragment.length);
  out[0] = r.type;
  out.writeUInt16BE(r.version, 1);
  out.writeUInt16BE(r.epoch, 3);
  out.writeUIntBE(r.seq, 5, 6);
  out.writeUInt16BE(r.fragment.length, 11);
  r.fragment.copy(out, RECORD_HEADER_LENGTH);
  return out;
}
