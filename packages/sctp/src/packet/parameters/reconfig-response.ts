import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/** RFC 6525 4.4 result codes. */
export const ReconfigResult = {
  SuccessNothingToDo: 0,
  SuccessPerformed: 1,
  Denied: 2,
  ErrorWrongSsn: 3,
  ErrorRequestAlreadyInProgress: 4,
  ErrorBadSequenceNumber: 5,
  InProgress: 6,
} as const;

export interface ReconfigResponseParameter {
  type: 'reconfig-response';
  responseSeq: number;
  result: number;
  senderNextTsn?: number;
  receiverNextTsn?: number;
}

export const reconfigResponseCodec: TlvCodec<ReconfigResponseParameter> = {
  code: 16,
  parse: (v) => {
    if (v.length !== 8 && v.length !== 16) fail('re-config response: bad length');
    const p: ReconfigResponseParameter = {
      type: 'reconfig-response',
      responseSeq: v.readUInt32BE(0),
      result: v.readUInt32BE(4),
    };
    if (v.length === 16) {
      p.senderNextTsn = v.readUInt32BE(8);
      p.receiverNextTsn = v.readUInt32BE(12);
    }
    return p;
  },
  valueLength: (p) => (p.senderNextTsn === undefined ? 8 : 16),
  write: (p, buf, off) => {
    buf.writeUInt32BE(p.responseSeq >>> 0, off);
    buf.writeUInt32BE(p.result >>> 0, off + 4);
    if (p.senderNextTsn !== undefined) {
      buf.writeUInt32BE(p.senderNextTsn >>> 0, off + 8);
      buf.writeUInt32BE((p.receiverNextTsn ?? 0) >>> 0, off + 12);
    }
  },
};
