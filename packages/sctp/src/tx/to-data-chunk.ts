import type { Fragment } from '../common/fragment.js';
import type { DataChunk } from '../packet/chunks/data.js';
import type { IDataChunk } from '../packet/chunks/idata.js';

/**
 * DATA (RFC 9260 3.3.1) or I-DATA (RFC 8260 2.1) carrying one fragment. One object literal per
 * chunk on the send path (no intermediate spread object).
 */
export function toDataChunk(tsn: number, f: Fragment, idata: boolean): DataChunk | IDataChunk {
  if (idata) {
    return {
      type: 'idata',
      tsn,
      streamId: f.streamId,
      mid: f.mid,
      fsn: f.fsn,
      ppid: f.ppid,
      payload: f.payload,
      unordered: f.unordered,
      beginning: f.beginning,
      end: f.end,
      immediate: false,
    };
  }
  return {
    type: 'data',
    tsn,
    streamId: f.streamId,
    ssn: f.ssn,
    ppid: f.ppid,
    payload: f.payload,
    unordered: f.unordered,
    beginning: f.beginning,
    end: f.end,
    immediate: false,
  };
}
