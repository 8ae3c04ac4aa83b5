import type { TlvCodec } from '../tlv.js';

/** RFC 9260 3.3.5: opaque to the receiver, echoed back in HEARTBEAT ACK. */
export interface HeartbeatInfoParameter {
  type: 'heartbeat-info';
  info: Buffer;
}

export const heartbeatInfoCodec: TlvCodec<HeartbeatInfoParameter> = {
  code: 1,
  parse: (value) => ({ type: 'heartbeat-info', info: Buffer.from(value) }),
  valueLength: (p) => p.info.length,
  write: (p, buf, off) => {
    p.info.copy(buf, off);
  },
};
