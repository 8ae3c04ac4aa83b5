import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/** RFC 6525 4.1: resets the sender's outgoing streams once the receiver has `senderLastTsn`. */
export interface OutgoingResetRequestParameter {
  type: 'outgoing-reset-request';
  requestSeq: number;
  responseSeq: number;
  senderLastTsn: number;
  /** Empty means all streams. */
  streams: number[];
}

export const outgoingResetRequestCodec: TlvCodec<OutgoingResetRequestParameter> = {
  code: 13,
  parse: (v) => {
    if (v.length < 12 || (v.length - 12) % 2 !== 0) fail('outgoing reset request: bad length');
    const streams: number[] = [];
    for (let o = 12; o < v.length; o += 2) streams.push(v.readUInt16BE(o));
    return {
      type: 'outgoing-reset-request',
      requestSeq: v.readUInt32BE(0),
      responseSeq: v.readUInt32BE(4),
      senderLastTsn: v.readUInt32BE(8),
      streams,
    };
  },
  valueLength: (p) => 12 + 2 * p.streams.length,
  write: (p, buf, off) => {
    buf.writeUInt32BE(p.requestSeq >>> 0, off);
    buf.writeUInt32BE(p.responseSeq >>> 0, off + 4);
    buf.writeUInt32BE(p.senderLastTsn >>> 0, off + 8);
    p.streams.forEach((s, i) => {
      buf.writeUInt16BE(s, off + 12 + 2 * i);
    });
  },
};
