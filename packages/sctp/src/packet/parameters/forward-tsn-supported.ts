import type { TlvCodec } from '../tlv.js';

/** RFC 3758 3.1: announces PR-SCTP (FORWARD-TSN) support; no value. */
export interface ForwardTsnSupportedParameter {
  type: 'forward-tsn-supported';
}

export const forwardTsnSupportedCodec: TlvCodec<ForwardTsnSupportedParameter> = {
  code: 0xc000,
  parse: () => ({ type: 'forward-tsn-supported' }),
  valueLength: () => 0,
  write: () => {},
};
