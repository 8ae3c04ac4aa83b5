import type { TlvCodec } from '../tlv.js';

/** RFC 9260 3.3.3.1: the cookie INIT ACK carries; only its creator can read it. */
export interface StateCookieParameter {
  type: 'state-cookie';
  cookie: Buffer;
}

export const stateCookieCodec: TlvCodec<StateCookieParameter> = {
  code: 7,
  parse: (value) => ({ type: 'state-cookie', cookie: Buffer.from(value) }),
  valueLength: (p) => p.cookie.length,
  write: (p, buf, off) => {
    p.cookie.copy(buf, off);
  },
};
