import type { ChunkCodec } from '../chunk-codec.js';
import { fail } from '../parse-error.js';

/** RFC 8260 2.3.1 I-FORWARD-TSN: skips by MID, per stream and ordered/unordered. */
export interface IForwardTsnChunk {
  type: 'iforward-tsn';
  newCumulativeTsn: number;
  skipped: { streamId: number; unordered: boolean; mid: number }[];
}

export const iforwardTsnCodec: ChunkCodec<IForwardTsnChunk> = {
  code: 194,
  type: 'iforward-tsn',
  parse: (_flags, v) => {
    if (v.length < 4 || (v.length - 4) % 8 !== 0) fail('I-FORWARD-TSN: bad length');
    const skipped: IForwardTsnChunk['skipped'] = [];
    for (let o = 4; o < v.length; o += 8) {
      skipped.push({
        streamId: v.readUInt16BE(o),
        unordered: (v[o + 3]! & 1) !== 0,
        mid: v.readUInt32BE(o + 4),
      });
    }
    return { type: 'iforward-tsn', newCumulativeTsn: v.readUInt32BE(0), skipped };
  },
  valueLength: (c) => 4 + 8 * c.skipped.length,
  write: (c, buf, off) => {
    buf.writeUInt32BE(c.newCumulativeTsn >>> 0, off);
    c.skipped.forEach((s, i) => {
      const o = off + 4 + 8 * i;
      buf.writeUInt16BE(s.streamId, o);
      buf.writeUInt16BE(s.unordered ? 1 : 0, o + 2);
      buf.writeUInt32BE(s.mid >>> 0, o + 4);
    });
    return 0;
  },
};
