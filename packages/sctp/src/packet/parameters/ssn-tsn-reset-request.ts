import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/** RFC 6525 4.3: resets all streams and the TSN; we parse it and deny it. */
export interface SsnTsnResetRequestParameter {
  type: 'ssn-tsn-reset-request';
  requestSeq: number;
}

export const ssnTsnResetRequestCodec: TlvCodec<SsnTsnResetRequestParameter> = {
  code: 15,
  parse: (v) => {
    if (v.length !== 4) fail('SSN/TSN reset request: bad length');
    return { type: 'ssn-tsn-reset-request', requestSeq: v.readUInt32BE(0) };
  },
  valueLength: () => 4,
  write: (p, buf, off) => {
    buf.writeUInt32BE(p.requestSeq >>> 0, off);
  },
};
