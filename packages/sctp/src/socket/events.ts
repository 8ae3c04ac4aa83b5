/** What an association reports; drained with pollEvent(). */
export type AssociationEvent =
  | { type: 'connected' }
  | { type: 'message'; streamId: number; ppid: number; data: Buffer; unordered: boolean }
  | { type: 'buffered-amount-low'; streamId: number }
  /** The peer reset these streams (its outgoing, our incoming): RFC 6525 5.2.2. */
  | { type: 'incoming-streams-reset'; streams: number[] }
  /** Our reset request for these outgoing streams was performed. */
  | { type: 'outgoing-streams-reset'; streams: number[] }
  | { type: 'stream-reset-failed'; streams: number[]; reason: string }
  /** Graceful shutdown completed. */
  | { type: 'closed' }
  | { type: 'aborted'; reason: string; byPeer: boolean }
  /**
   * The peer restarted the association (RFC 9260 5.2.4 case A): messages sent and not yet
   * acknowledged, and the unsent rest of partly sent ones, were dropped (`lostMessages`).
   */
  | { type: 'restarted'; lostMessages: number }
  /** The peer reported an operation error (ERROR chunk). */
  | { type: 'peer-error'; reason: string };

/** Counters for dropped or refused input; every drop path increments one. */
export interface AssociationStats {
  packetsReceived: number;
  packetsSent: number;
  droppedBadChecksum: number;
  droppedMalformed: number;
  droppedVerificationTag: number;
  droppedOutOfTheBlue: number;
  droppedOutOfWindowTsn: number;
  droppedReceiveWindowFull: number;
  duplicateTsns: number;
  droppedControlOverflow: number;
  staleCookies: number;
  invalidCookies: number;
  reconfigRequestsReceived: number;
  reconfigRequestsRejected: number;
  abandonedMessages: number;
  fastRetransmits: number;
  t3Expiries: number;
  unknownChunks: number;
  restarts: number;
  /** SACKs that no longer acknowledged TSNs an earlier SACK gap-acked (RFC 9260 6.2). */
  renegedTsns: number;
}

export function emptyStats(): AssociationStats {
  return {
    packetsReceived: 0,
    packetsSent: 0,
    droppedBadChecksum: 0,
    droppedMalformed: 0,
    droppedVerificationTag: 0,
    droppedOutOfTheBlue: 0,
    droppedOutOfWindowTsn: 0,
    droppedReceiveWindowFull: 0,
    duplicateTsns: 0,
    droppedControlOverflow: 0,
    staleCookies: 0,
    invalidCookies: 0,
    reconfigRequestsReceived: 0,
    reconfigRequestsRejected: 0,
    abandonedMessages: 0,
    fastRetransmits: 0,
    t3Expiries: 0,
    unknownChunks: 0,
    restarts: 0,
    renegedTsns: 0,
  };
}
