import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/** RFC 9653 5.1: the sender accepts packets with a zero checksum under this error detection method. */
export interface ZeroChecksumAcceptableParameter {
  type: 'zero-checksum-acceptable';
  /** Error Detection Method Identifier; 1 is "SCTP over DTLS" (RFC 9653 7). */
  edmid: number;
}

export const EDMID_SCTP_OVER_DTLS = 1;

export const zeroChecksumAcceptableCodec: TlvCodec<ZeroChecksumAcceptableParameter> = {
  code: 0x8001,
  parse: (value) => {
    if (value.length !== 4) fail('zero checksum acceptable: bad length');
    return { type: 'zero-checksum-acceptable', edmid: value.readUInt32BE(0) };
  },
  valueLength: () => 4,
  write: (p, buf, off) => {
    buf.writeUInt32BE(p.edmid >>> 0, off);
  },
};
