import type { TransportAddress } from '../stun/address.js';
import type { CandidateTransport, CandidateType, IceCandidate, TcpType } from './candidate.js';

/** The W3C `RTCIceConnectionState` values, one to one. */
export type IceConnectionState =
  | 'new'
  | 'checking'
  | 'connected'
  | 'completed'
  | 'disconnected'
  | 'failed'
  | 'closed';

export type CandidatePairState = 'frozen' | 'waiting' | 'in-progress' | 'succeeded' | 'failed';

export interface IceCredentials {
  readonly ufrag: string;
  readonly pwd: string;
}

/** A local candidate and the socket (by the driver's id) that sends and receives for it. */
export interface LocalCandidate extends IceCandidate {
  readonly socketId: string;
}

/** What the driver knows when it adds a local candidate; priority and foundation are computed. */
export interface LocalCandidateInput {
  readonly socketId: string;
  readonly type: Exclude<CandidateType, 'prflx'>;
  readonly address: string;
  readonly port: number;
  readonly transport?: CandidateTransport;
  readonly tcpType?: TcpType;
  /** The base (host) address for srflx, the mapped address for relay. */
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  /** The STUN or TURN server this came from, so candidates of different servers get different foundations. */
  readonly server?: string;
  /** 0-65535; when absent one is chosen that prefers IPv6 and keeps addresses distinct (RFC 8421). */
  readonly localPreference?: number;
  readonly networkId?: number;
  readonly networkCost?: number;
}

/** Counters of one pair, in the terms of W3C webrtc-stats RTCIceCandidatePairStats. */
export interface CandidatePairStats {
  requestsSent: number;
  requestsReceived: number;
  responsesSent: number;
  responsesReceived: number;
  consentRequestsSent: number;
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Milliseconds; from the last check or consent answered on its first transmission (Karn's rule). */
  currentRoundTripTimeMs: number | undefined;
  totalRoundTripTimeMs: number;
  roundTripTimeMeasurements: number;
  lastPacketSentAt: number | undefined;
  lastPacketReceivedAt: number | undefined;
}

export interface CandidatePairInfo {
  readonly local: LocalCandidate;
  readonly remote: IceCandidate;
  readonly state: CandidatePairState;
  readonly nominated: boolean;
  readonly priority: bigint;
  readonly stats: Readonly<CandidatePairStats>;
}

/** A datagram the driver must send from `socketId` to `destination`. */
export interface Transmit {
  readonly socketId: string;
  readonly destination: TransportAddress;
  readonly data: Buffer;
}

export type IceAgentEvent =
  | { readonly type: 'state-change'; readonly state: IceConnectionState }
  | { readonly type: 'selected-pair'; readonly pair: CandidatePairInfo }
  | { readonly type: 'role-change'; readonly controlling: boolean }
  | { readonly type: 'local-candidate'; readonly candidate: LocalCandidate }
  | { readonly type: 'local-candidates-complete' }
  /** A remote candidate names a host (mDNS `.local` or DNS): the driver resolves it, then calls `resolveRemoteAddress`. */
  | { readonly type: 'resolve-address'; readonly name: string }
  | {
      readonly type: 'data';
      readonly data: Buffer;
      readonly socketId: string;
      readonly remote: TransportAddress;
    };

export interface IceAgentOptions {
  controlling: boolean;
  /** RFC 8445 section 2.5: a lite agent only answers checks. */
  lite?: boolean;
  localCredentials?: IceCredentials;
  remoteCredentials?: IceCredentials;
  /** Source of randomness for credentials, tie-breaker, transaction ids. Defaults to crypto.randomBytes (drawn 4 KiB at a time). */
  random?: (size: number) => Uint8Array;
  /** Pacing of ordinary checks, RFC 8445 section 14.2. Default 50 ms. */
  taMs?: number;
  /** First retransmission timeout of a check. Default 250 ms, doubling up to `maxRtoMs`. */
  initialRtoMs?: number;
  maxRtoMs?: number;
  /** Transmissions of a check before its pair fails. Default 7 (RFC 8489 Rc). */
  maxCheckTransmissions?: number;
  /** How long a controlling agent waits for better pairs before nominating the best valid one. Default 1000 ms. */
  nominationDelayMs?: number;
  /** RFC 7675 section 5.1: consent checks every this many ms, randomised 0.8-1.2. Default 5000. */
  consentIntervalMs?: number;
  /**
   * `disconnected` needs the selected pair silent (no response, check or data) for this long.
   * Default 7500 ms. The full rule is in `consent.ts` and the README.
   */
  disconnectedTimeoutMs?: number;
  /**
   * `disconnected` also needs this many requests on the selected pair (consent or check
   * transmissions, retransmissions included) unanswered since its last response. Default 3;
   * 0 makes silence alone enough.
   */
  disconnectedUnansweredRequests?: number;
  /** RFC 7675 section 5.1: consent expires (`failed`) after 30 s without a response. */
  consentTimeoutMs?: number;
  /** RFC 8445 section 11: keepalive when nothing was sent on the selected pair for this long. Default 15000. */
  keepaliveIntervalMs?: number;
  /** Only relay local candidates are paired (`iceTransportPolicy: 'relay'`). */
  relayOnly?: boolean;
  /** Bounds on state kept per agent however many addresses send checks. */
  maxRemoteCandidates?: number;
  maxPeerReflexiveCandidates?: number;
  maxPairs?: number;
  /** SOFTWARE attribute value, none when absent. */
  software?: string;
}

export interface IceAgentStats {
  malformed: number;
  badFingerprint: number;
  unauthenticated: number;
  unknownTransaction: number;
  unknownComprehensionRequired: number;
  roleConflicts: number;
  droppedData: number;
  droppedPeerReflexive: number;
  droppedPairs: number;
  checksSent: number;
  retransmissions: number;
  responsesSent: number;
  consentRequestsSent: number;
}
