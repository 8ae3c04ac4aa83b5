import type { ChunkCodec } from '../chunk-codec.js';
import { type Parameter, parametersLength, parseParameters, writeParameters } from '../parameter.js';

/** RFC 9260 3.3.6 HEARTBEAT ACK: echoes the request's Heartbeat Info. */
export interface HeartbeatAckChunk {
  type: 'heartbeat-ack';
  params: Parameter[];
}

export const heartbeatAckCodec: ChunkCodec<HeartbeatAckChunk> = {
  code: 5,
  type: 'heartbeat-ack',
  parse: (_flags, v) => ({ type: 'heartbeat-ack', params: parseParameters(v).params }),
  valueLength: (c) => parametersLength(c.params),
  write: (c, buf, off) => {
    writeParameters(c.params, buf, off);
    return 0;
  },
};
