import type { ChunkCodec } from '../chunk-codec.js';
import { type Parameter, parametersLength, parseParameters, writeParameters } from '../parameter.js';

/** RFC 9260 3.3.5 HEARTBEAT: one Heartbeat Info parameter. */
export interface HeartbeatRequestChunk {
  type: 'heartbeat';
  params: Parameter[];
}

export const heartbeatRequestCodec: ChunkCodec<HeartbeatRequestChunk> = {
  code: 4,
  type: 'heartbeat',
  parse: (_flags, v) => ({ type: 'heartbeat', params: parseParameters(v).params }),
  valueLength: (c) => parametersLength(c.params),
  write: (c, buf, off) => {
    writeParameters(c.params, buf, off);
    return 0;
  },
};
