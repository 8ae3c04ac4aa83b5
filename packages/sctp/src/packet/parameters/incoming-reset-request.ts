import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/** RFC 6525 4.2: asks the peer to reset its outgoing (our incoming) streams. */
export interface IncomingResetRequestParameter {
  type: 'incoming-reset-request';
  requestSeq: number;
  streams: number[];
}

export const incomingResetRequestCodec: TlvCodec<IncomingResetRequestParameter> = {
  code: 14,
  parse: (v) => {
    if (v.length < 4 || (v.length - 4) % 2 !== 0) fail('incoming reset request: bad length');
    const streams: number[] = [];
    for (let o = 4; o < v.length; o += 2) streams.push(v.readUInt16BE(o));
    return { type: 'incoming-reset-request', requestSeq: v.readUInt32BE(0), streams };
  },
  valueLength: (p) => 4 + 2 * p.streams.length,
  write: (p, buf, off) => {
    buf.writeUInt32BE(p.requestSeq >>> 0, off);
    p.streams.forEach((s, i) => {
      buf.writeUInt16BE(s, off + 4 + 2 * i);
    });
  },
};
