import type { ChunkCodec } from '../chunk-codec.js';
import { type Parameter, parametersLength, parseParameters, writeParameters } from '../parameter.js';

/** RFC 6525 3.1 RE-CONFIG: one or two request/response parameters. */
export interface ReconfigChunk {
  type: 'reconfig';
  params: Parameter[];
}

export const reconfigCodec: ChunkCodec<ReconfigChunk> = {
  code: 130,
  type: 'reconfig',
  parse: (_flags, v) => ({ type: 'reconfig', params: parseParameters(v).params }),
  valueLength: (c) => parametersLength(c.params),
  write: (c, buf, off) => {
    writeParameters(c.params, buf, off);
    return 0;
  },
};
