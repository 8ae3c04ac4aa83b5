import type { TlvCodec } from '../tlv.js';

/** RFC 9260 3.3.3.1: the whole unrecognized parameter (header included), reported in INIT ACK. */
export interface UnrecognizedParameterParameter {
  type: 'unrecognized-parameter';
  raw: Buffer;
}

export const unrecognizedParameterCodec: TlvCodec<UnrecognizedParameterParameter> = {
  code: 8,
  parse: (value) => ({ type: 'unrecognized-parameter', raw: Buffer.from(value) }),
  valueLength: (p) => p.raw.length,
  write: (p, buf, off) => {
    p.raw.copy(buf, off);
  },
};
