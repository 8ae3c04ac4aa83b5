import type { IceCandidate } from './candidate.js';
import { pairPriority } from './candidate.js';
import type { Credentials } from './credentials.js';
import type { CandidatePairInfo, CandidatePairState, CandidatePairStats, LocalCandidate } from './types.js';

/** A candidate pair in the check list (RFC 8445 section 6.1.2). */
export class CandidatePair implements CandidatePairInfo {
  state: CandidatePairState = 'frozen';
  nominated = false;
  /** Controlled side: the peer sent USE-CANDIDATE before our check on this pair succeeded. */
  nominateOnSuccess = false;
  /** Controlling side: a check with USE-CANDIDATE is in flight on this pair. */
  nominating = false;
  /** The address the peer saw our check come from (XOR-MAPPED-ADDRESS of the response). */
  mappedAddress?: { address: string; port: number };
  /**
   * Our credentials of an earlier generation that the peer still checks this pair with (see
   * inbound-request.ts): our requests on it then carry them too. Undefined: the current ones.
   */
  boundLocal: Credentials | undefined;
  priority: bigint;
  readonly stats: CandidatePairStats = {
    requestsSent: 0,
    requestsReceived: 0,
    responsesSent: 0,
    responsesReceived: 0,
    consentRequestsSent: 0,
    packetsSent: 0,
    packetsReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    currentRoundTripTimeMs: undefined,
    totalRoundTripTimeMs: 0,
    roundTripTimeMeasurements: 0,
    lastPacketSentAt: undefined,
    lastPacketReceivedAt: undefined,
  };
  readonly foundation: string;
  readonly key: string;

  constructor(
    readonly local: LocalCandidate,
    readonly remote: IceCandidate,
    controlling: boolean,
  ) {
    this.foundation = `${local.foundation}:${remote.foundation}`;
    this.key = pairKey(local.socketId, remote.address, remote.port);
    this.priority = 0n;
    this.updatePriority(controlling);
  }

  updatePriority(controlling: boolean): void {
    this.priority = controlling
      ? pairPriority(this.local.priority, this.remote.priority)
      : pairPriority(this.remote.priority, this.local.priority);
  }

  get valid(): boolean {
    return this.state === 'succeeded';
  }

  info(): CandidatePairInfo {
    return {
      local: this.local,
      remote: this.remote,
      state: this.state,
      nominated: this.nominated,
      priority: this.priority,
      stats: { ...this.stats },
    };
  }
}

export function pairKey(socketId: string, address: string, port: number): string {
  return `${socketId}|${address}|${port}`;
}

export function byPriorityDescending(a: CandidatePair, b: CandidatePair): number {
  return a.priority > b.priority ? -1 : a.priority < b.priority ? 1 : 0;
}
