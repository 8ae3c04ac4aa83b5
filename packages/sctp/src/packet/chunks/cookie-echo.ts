import type { ChunkCodec } from '../chunk-codec.js';

/** RFC 9260 3.3.11 COOKIE ECHO: the state cookie returned verbatim. */
export interface CookieEchoChunk {
  type: 'cookie-echo';
  cookie: Buffer;
}

export const cookieEchoCodec: ChunkCodec<CookieEchoChunk> = {
  code: 10,
  type: 'cookie-echo',
  parse: (_flags, v) => ({ type: 'cookie-echo', cookie: Buffer.from(v) }),
  valueLength: (c) => c.cookie.length,
  write: (c, buf, off) => {
    c.cookie.copy(buf, off);
    return 0;
  },
};
