import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/**
 * RFC 9260 3.3.2.1 Cookie Preservative: an INIT sent after a Stale Cookie error asks the peer to
 * lengthen the life of the next cookie by this many milliseconds.
 */
export interface CookiePreservativeParameter {
  type: 'cookie-preservative';
  lifeSpanIncrement: number;
}

export const cookiePreservativeCodec: TlvCodec<CookiePreservativeParameter> = {
  code: 9,
  parse: (value) => {
    if (value.length !== 4) fail('Cookie Preservative: bad length');
    return { type: 'cookie-preservative', lifeSpanIncrement: value.readUInt32BE(0) };
  },
  valueLength: () => 4,
  write: (p, buf, off) => {
    buf.writeUInt32BE(p.lifeSpanIncrement >>> 0, off);
  },
};
