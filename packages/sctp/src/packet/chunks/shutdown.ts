import type { ChunkCodec } from '../chunk-codec.js';
import { fail } from '../parse-error.js';

/** RFC 9260 3.3.8 SHUTDOWN. */
export interface ShutdownChunk {
  type: 'shutdown';
  cumulativeTsnAck: number;
}

export const shutdownCodec: ChunkCodec<ShutdownChunk> = {
  code: 7,
  type: 'shutdown',
  parse: (_flags, v) => {
    if (v.length !== 4) fail('SHUTDOWN: bad length');
    return { type: 'shutdown', cumulativeTsnAck: v.readUInt32BE(0) };
  },
  valueLength: () => 4,
  write: (c, buf, off) => {
    buf.writeUInt32BE(c.cumulativeTsnAck >>> 0, off);
    return 0;
  },
};
