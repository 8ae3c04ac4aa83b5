import { fail } from '../parse-error.js';
import type { TlvCodec } from '../tlv.js';

/** RFC 6525 4.5 / 4.6: Add Outgoing / Incoming Streams; parsed so we can deny them. */
export interface AddStreamsParameter {
  type: 'add-outgoing-streams' | 'add-incoming-streams';
  requestSeq: number;
  count: number;
}

function codec(code: number, type: AddStreamsParameter['type']): TlvCodec<AddStreamsParameter> {
  return {
    code,
    parse: (v) => {
      if (v.length !== 8) fail('add streams: bad length');
      return { type, requestSeq: v.readUInt32BE(0), count: v.readUInt16BE(4) };
    },
    valueLength: () => 8,
    write: (p, buf, off) => {
      buf.writeUInt32BE(p.requestSeq >>> 0, off);
      buf.writeUInt16BE(p.count, off + 4);
      buf.writeUInt16BE(0, off + 6);
    },
  };
}

export const addOutgoingStreamsCodec = codec(17, 'add-outgoing-streams');
export const addIncomingStreamsCodec = codec(18, 'add-incoming-streams');
