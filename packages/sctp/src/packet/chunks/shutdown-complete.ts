import type { ChunkCodec } from '../chunk-codec.js';

/** RFC 9260 3.3.13 SHUTDOWN COMPLETE; T as in ABORT. */
export interface ShutdownCompleteChunk {
  type: 'shutdown-complete';
  tagReflected: boolean;
}

export const shutdownCompleteCodec: ChunkCodec<ShutdownCompleteChunk> = {
  code: 14,
  type: 'shutdown-complete',
  parse: (flags) => ({ type: 'shutdown-complete', tagReflected: (flags & 1) !== 0 }),
  valueLength: () => 0,
  write: (c) => (c.tagReflected ? 1 : 0),
};
