import type { ChunkCodec } from '../chunk-codec.js';
import { fail } from '../parse-error.js';

/** RFC 3758 3.2 FORWARD TSN: the receiver moves its cumulative TSN and skips these ordered SSNs. */
export interface ForwardTsnChunk {
  type: 'forward-tsn';
  newCumulativeTsn: number;
  skipped: { streamId: number; ssn: number }[];
}

export const forwardTsnCodec: ChunkCodec<ForwardTsnChunk> = {
  code: 192,
  type: 'forward-tsn',
  parse: (_flags, v) => {
    if (v.length < 4 || v.length % 4 !== 0) fail('FORWARD TSN: bad length');
    const skipped: ForwardTsnChunk['skipped'] = [];
    for (let o = 4; o < v.length; o += 4)
      skipped.push({ streamId: v.readUInt16BE(o), ssn: v.readUInt16BE(o + 2) });
    return { type: 'forward-tsn', newCumulativeTsn: v.readUInt32BE(0), skipped };
  },
  valueLength: (c) => 4 + 4 * c.skipped.length,
  write: (c, buf, off) => {
    buf.writeUInt32BE(c.newCumulativeTsn >>> 0, off);
    c.skipped.forEach((s, i) => {
      buf.writeUInt16BE(s.streamId, off + 4 + 4 * i);
      buf.writeUInt16BE(s.ssn & 0xffff, off + 6 + 4 * i);
    });
    return 0;
  },
};
