import type { ChunkCodec } from '../chunk-codec.js';
import { type InitFields, initFieldsLength, parseInitFields, writeInitFields } from './init-fields.js';

/** RFC 9260 3.3.2 INIT. */
export interface InitChunk extends InitFields {
  type: 'init';
}

export const initCodec: ChunkCodec<InitChunk> = {
  code: 1,
  type: 'init',
  parse: (_flags, v) => ({ type: 'init', ...parseInitFields(v) }),
  valueLength: initFieldsLength,
  write: (c, buf, off) => {
    writeInitFields(c, buf, off);
    return 0;
  },
};
