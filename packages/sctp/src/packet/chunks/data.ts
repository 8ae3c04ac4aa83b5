import type { ChunkCodec } from '../chunk-codec.js';
import { fail } from '../parse-error.js';

/** RFC 9260 3.3.1 DATA. */
export interface DataChunk {
  type: 'data';
  tsn: number;
  streamId: number;
  ssn: number;
  ppid: number;
  payload: Buffer;
  unordered: boolean;
  beginning: boolean;
  end: boolean;
  /** RFC 7053: ask for an immediate SACK. */
  immediate: boolean;
}

export const DATA_HEADER_LENGTH = 16;

/**
 * Parses the DATA value at buf[start, end) in place, so the packet parser need not cut a view of
 * the chunk first (one Buffer view per chunk, the payload's, instead of two).
 */
export function parseDataValue(flags: number, buf: Buffer, start: number, end: number): DataChunk {
  if (end - start < 12) fail('DATA chunk too short');
  return {
    type: 'data',
    tsn: buf.readUInt32BE(start),
    streamId: buf.readUInt16BE(start + 4),
    ssn: buf.readUInt16BE(start + 6),
    ppid: buf.readUInt32BE(start + 8),
    payload: buf.subarray(start + 12, end),
    unordered: (flags & 4) !== 0,
    beginning: (flags & 2) !== 0,
    end: (flags & 1) !== 0,
    immediate: (flags & 8) !== 0,
  };
}

export const dataCodec: ChunkCodec<DataChunk> = {
  code: 0,
  type: 'data',
  parse: (flags, v) => parseDataValue(flags, v, 0, v.length),
  valueLength: (c) => 12 + c.payload.length,
  write: (c, buf, off) => {
    buf.writeUInt32BE(c.tsn >>> 0, off);
    buf.writeUInt16BE(c.streamId, off + 4);
    buf.writeUInt16BE(c.ssn & 0xffff, off + 6);
    buf.writeUInt32BE(c.ppid >>> 0, off + 8);
    c.payload.copy(buf, off + 12);
    return (c.immediate ? 8 : 0) | (c.unordered ? 4 : 0) | (c.beginning ? 2 : 0) | (c.end ? 1 : 0);
  },
};
