/** A message the application sent, as it moves through the send queue and outstanding data. */
export interface OutgoingMessage {
  readonly id: number;
  readonly streamId: number;
  readonly ppid: number;
  readonly payload: Buffer;
  readonly unordered: boolean;
  /** RFC 3758 "limited retransmissions": undefined means reliable. */
  readonly maxRetransmits: number | undefined;
  /** RFC 3758 "timed reliability": absolute time (ms) after which it is abandoned. */
  readonly expiresAt: number | undefined;
  /** Bytes already cut into fragments. */
  offset: number;
  ssn: number;
  mid: number;
  nextFsn: number;
  abandoned: boolean;
  /** Unwrapped TSNs given to its fragments so far, so abandoning it is O(fragments). */
  tsns: number[];
  /** Whether the fragment with the E bit has been given a TSN. */
  endAssigned: boolean;
}

export interface SendOptions {
  unordered?: boolean;
  maxRetransmits?: number;
  /** Milliseconds from `now` (RFC 3758 timed reliability). */
  maxLifetime?: number;
}
