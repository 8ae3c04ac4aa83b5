import type { ChunkCodec } from '../chunk-codec.js';
import { type ErrorCause, errorCausesLength, parseErrorCauses, writeErrorCauses } from '../error-cause.js';

/** RFC 9260 3.3.7 ABORT; T set means the verification tag is the sender's own (reflected). */
export interface AbortChunk {
  type: 'abort';
  tagReflected: boolean;
  causes: ErrorCause[];
}

export const abortCodec: ChunkCodec<AbortChunk> = {
  code: 6,
  type: 'abort',
  parse: (flags, v) => ({ type: 'abort', tagReflected: (flags & 1) !== 0, causes: parseErrorCauses(v) }),
  valueLength: (c) => errorCausesLength(c.causes),
  write: (c, buf, off) => {
    writeErrorCauses(c.causes, buf, off);
    return c.tagReflected ? 1 : 0;
  },
};
