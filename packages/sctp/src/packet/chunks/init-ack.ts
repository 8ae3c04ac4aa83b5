import type { ChunkCodec } from '../chunk-codec.js';
import { type InitFields, initFieldsLength, parseInitFields, writeInitFields } from './init-fields.js';

/** RFC 9260 3.3.3 INIT ACK; carries the state cookie parameter. */
export interface InitAckChunk extends InitFields {
  type: 'init-ack';
}

export const initAckCodec: ChunkCodec<InitAckChunk> = {
  code: 2,
  type: 'init-ack',
  parse: (_flags, v) => ({ type: 'init-ack', ...parseInitFields(v) }),
  valueLength: initFieldsLength,
  write: (c, buf, off) => {
    writeInitFields(c, buf, off);
    return 0;
  },
};
