/**
 * One DATA or I-DATA payload, independent of the chunk that carries it (the two differ only in
 * how a message and its fragments are identified: SSN and TSN order, or MID and FSN).
 */
export interface Fragment {
  streamId: number;
  /** DATA: stream sequence number (0 for unordered). */
  ssn: number;
  /** I-DATA: message identifier. */
  mid: number;
  /** I-DATA: fragment sequence number. */
  fsn: number;
  ppid: number;
  payload: Buffer;
  unordered: boolean;
  beginning: boolean;
  end: boolean;
}

/** What DATA reassembly reads of a received chunk (a parsed DataChunk is one, no copy needed). */
export type DataFragment = Pick<
  Fragment,
  'streamId' | 'ssn' | 'ppid' | 'payload' | 'unordered' | 'beginning' | 'end'
>;

/** What I-DATA reassembly reads of a received chunk (a parsed IDataChunk is one). */
export type IDataFragment = Pick<
  Fragment,
  'streamId' | 'mid' | 'fsn' | 'ppid' | 'payload' | 'unordered' | 'beginning' | 'end'
>;

/** A received message, reassembled. */
export interface ReceivedMessage {
  streamId: number;
  ppid: number;
  payload: Buffer;
  unordered: boolean;
}
