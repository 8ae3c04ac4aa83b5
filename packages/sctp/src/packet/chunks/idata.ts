import type { ChunkCodec } from '../chunk-codec.js';
import { fail } from '../parse-error.js';

/** RFC 8260 2.1 I-DATA: messages are identified by MID, fragments by FSN, so streams interleave. */
export interface IDataChunk {
  type: 'idata';
  tsn: number;
  streamId: number;
  mid: number;
  /** Fragment sequence number; 0 on the first fragment, whose slot carries the PPID instead. */
  fsn: number;
  ppid: number;
  payload: Buffer;
  unordered: boolean;
  beginning: boolean;
  end: boolean;
  immediate: boolean;
}

export const IDATA_HEADER_LENGTH = 20;

export const idataCodec: ChunkCodec<IDataChunk> = {
  code: 64,
  type: 'idata',
  parse: (flags, v) => {
    if (v.length < 16) fail('I-DATA chunk too short');
    const beginning = (flags & 2) !== 0;
    const word = v.readUInt32BE(12);
    return {
      type: 'idata',
      tsn: v.readUInt32BE(0),
      streamId: v.readUInt16BE(4),
      mid: v.readUInt32BE(8),
      fsn: beginning ? 0 : word,
      ppid: beginning ? word : 0,
      payload: v.subarray(16),
      unordered: (flags & 4) !== 0,
      beginning,
      end: (flags & 1) !== 0,
      immediate: (flags & 8) !== 0,
    };
  },
  valueLength: (c) => 16 + c.payload.length,
  write: (c, buf, off) => {
    buf.writeUInt32BE(c.tsn >>> 0, off);
    buf.writeUInt16BE(c.streamId, off + 4);
    buf.writeUInt16BE(0, off + 6);
    buf.writeUInt32BE(c.mid >>> 0, off + 8);
    buf.writeUInt32BE((c.beginning ? c.ppid : c.fsn) >>> 0, off + 12);
    c.payload.copy(buf, off + 16);
    return (c.immediate ? 8 : 0) | (c.unordered ? 4 : 0) | (c.beginning ? 2 : 0) | (c.end ? 1 : 0);
  },
};
