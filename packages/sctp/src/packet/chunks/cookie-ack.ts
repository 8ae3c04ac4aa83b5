import type { ChunkCodec } from '../chunk-codec.js';

/** RFC 9260 3.3.12 COOKIE ACK. */
export interface CookieAckChunk {
  type: 'cookie-ack';
}

export const cookieAckCodec: ChunkCodec<CookieAckChunk> = {
  code: 11,
  type: 'cookie-ack',
  parse: () => ({ type: 'cookie-ack' }),
  valueLength: () => 0,
  write: () => 0,
};
