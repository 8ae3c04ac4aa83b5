import type { ChunkCodec } from '../chunk-codec.js';

/**
 * RFC 4820 3 PADDING chunk: fills a packet to a chosen size. The receiver discards it (its type,
 * 0x84, also says "skip and continue" to a peer that does not know it, RFC 9260 3.2). DPLPMTUD
 * (RFC 8899 6.2.1.1) bundles one with a HEARTBEAT to build a probe packet of an exact size.
 */
export interface PadChunk {
  type: 'pad';
  /** Bytes of padding after the chunk header. */
  length: number;
}

export const padCodec: ChunkCodec<PadChunk> = {
  code: 0x84,
  type: 'pad',
  // The content is never looked at, so it is not copied either.
  parse: (_flags, v) => ({ type: 'pad', length: v.length }),
  valueLength: (c) => c.length,
  write: (c, buf, off) => {
    buf.fill(0, off, off + c.length);
    return 0;
  },
};
