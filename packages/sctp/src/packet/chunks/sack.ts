import type { ChunkCodec } from '../chunk-codec.js';
import { fail } from '../parse-error.js';

/** Offsets from the cumulative TSN ack, both inclusive (RFC 9260 3.3.4). */
export interface GapAckBlock {
  start: number;
  end: number;
}

/** RFC 9260 3.3.4 SACK. */
export interface SackChunk {
  type: 'sack';
  cumulativeTsnAck: number;
  aRwnd: number;
  gapBlocks: GapAckBlock[];
  duplicateTsns: number[];
}

export const sackCodec: ChunkCodec<SackChunk> = {
  code: 3,
  type: 'sack',
  parse: (_flags, v) => {
    if (v.length < 12) fail('SACK too short');
    const nGaps = v.readUInt16BE(8);
    const nDups = v.readUInt16BE(10);
    if (v.length !== 12 + 4 * nGaps + 4 * nDups) fail('SACK length does not match its counts');
    const gapBlocks: GapAckBlock[] = [];
    let o = 12;
    for (let i = 0; i < nGaps; i++, o += 4)
      gapBlocks.push({ start: v.readUInt16BE(o), end: v.readUInt16BE(o + 2) });
    const duplicateTsns: number[] = [];
    for (let i = 0; i < nDups; i++, o += 4) duplicateTsns.push(v.readUInt32BE(o));
    return {
      type: 'sack',
      cumulativeTsnAck: v.readUInt32BE(0),
      aRwnd: v.readUInt32BE(4),
      gapBlocks,
      duplicateTsns,
    };
  },
  valueLength: (c) => 12 + 4 * c.gapBlocks.length + 4 * c.duplicateTsns.length,
  write: (c, buf, off) => {
    buf.writeUInt32BE(c.cumulativeTsnAck >>> 0, off);
    buf.writeUInt32BE(c.aRwnd >>> 0, off + 4);
    buf.writeUInt16BE(c.gapBlocks.length, off + 8);
    buf.writeUInt16BE(c.duplicateTsns.length, off + 10);
    let o = off + 12;
    for (const g of c.gapBlocks) {
      buf.writeUInt16BE(g.start, o);
      buf.writeUInt16BE(g.end, o + 2);
      o += 4;
    }
    for (const d of c.duplicateTsns) {
      buf.writeUInt32BE(d >>> 0, o);
      o += 4;
    }
    return 0;
  },
};
