import type { ChunkCodec } from '../chunk-codec.js';

/** RFC 9260 3.3.9 SHUTDOWN ACK. */
export interface ShutdownAckChunk {
  type: 'shutdown-ack';
}

export const shutdownAckCodec: ChunkCodec<ShutdownAckChunk> = {
  code: 8,
  type: 'shutdown-ack',
  parse: () => ({ type: 'shutdown-ack' }),
  valueLength: () => 0,
  write: () => 0,
};
