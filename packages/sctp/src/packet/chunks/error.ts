import type { ChunkCodec } from '../chunk-codec.js';
import { type ErrorCause, errorCausesLength, parseErrorCauses, writeErrorCauses } from '../error-cause.js';

/** RFC 9260 3.3.10 ERROR (operation error, not fatal). */
export interface ErrorChunk {
  type: 'error';
  causes: ErrorCause[];
}

export const errorCodec: ChunkCodec<ErrorChunk> = {
  code: 9,
  type: 'error',
  parse: (_flags, v) => ({ type: 'error', causes: parseErrorCauses(v) }),
  valueLength: (c) => errorCausesLength(c.causes),
  write: (c, buf, off) => {
    writeErrorCauses(c.causes, buf, off);
    return 0;
  },
};
