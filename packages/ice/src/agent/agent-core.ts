import { debuglog } from 'node:util';
import type { TransportAddress } from '../stun/address.js';
import type { StunIntegrityKey } from '../stun/integrity.js';
import type { StunMessage } from '../stun/message.js';
import { candidatePriority, type IceCandidate, tcpCandidatePriority } from './candidate.js';
import { CheckList } from './check-list.js';
import { buildBindingRequest, buildErrorResponse } from './checks.js';
import { nextConnectionState } from './connection-state.js';
import { ConsentMonitor } from './consent.js';
import { type Credentials, makeCredentials } from './credentials.js';
import { EarlyChecks } from './early-checks.js';
import { LocalCandidateFactory } from './local-candidates.js';
import type { CandidatePair } from './pair.js';
import { pooledRandomBytes } from './random-pool.js';
import { RemoteCandidateSet } from './remote-candidates.js';
import { type Transaction, TransactionTable } from './transactions.js';
import type {
  IceAgentEvent,
  IceAgentOptions,
  IceAgentStats,
  IceConnectionState,
  LocalCandidate,
  Transmit,
} from './types.js';

export const log = debuglog('purertc:ice');

export type AgentSettings = Required<
  Omit<
    IceAgentOptions,
    'localCredentials' | 'remoteCredentials' | 'random' | 'lite' | 'controlling' | 'software'
  >
>;

function settingsFrom(options: IceAgentOptions): AgentSettings {
  return {
    taMs: options.taMs ?? 50,
    initialRtoMs: options.initialRtoMs ?? 250,
    maxRtoMs: options.maxRtoMs ?? 1600,
    maxCheckTransmissions: options.maxCheckTransmissions ?? 7,
    nominationDelayMs: options.nominationDelayMs ?? 1000,
    consentIntervalMs: options.consentIntervalMs ?? 5000,
    disconnectedTimeoutMs: options.disconnectedTimeoutMs ?? 7500,
    disconnectedUnansweredRequests: options.disconnectedUnansweredRequests ?? 3,
    consentTimeoutMs: options.consentTimeoutMs ?? 30_000,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
    relayOnly: options.relayOnly ?? false,
    maxRemoteCandidates: options.maxRemoteCandidates ?? 64,
    maxPeerReflexiveCandidates: options.maxPeerReflexiveCandidates ?? 16,
    maxPairs: options.maxPairs ?? 100,
  };
}

/**
 * The state an `IceAgent` shares between its parts (inbound requests, inbound responses,
 * checking and nomination, consent, restart), and the primitives they all use: sending,
 * pairing, selecting and the connection state. Internal: not exported from the package.
 */
export class AgentCore {
  readonly lite: boolean;
  controlling: boolean;
  readonly tieBreaker: bigint;
  readonly random: (size: number) => Uint8Array;
  readonly opts: AgentSettings;
  readonly software: string | undefined;

  local: Credentials;
  /** The credentials before the last restart, still answered until a new pair is selected. */
  previousLocal: Credentials | undefined;
  remote: Credentials | undefined;
  /** The peer is an ICE-lite agent (RFC 8445 6.1.1): then we control, whoever offers. */
  remoteLite = false;

  readonly localCandidates: LocalCandidate[] = [];
  readonly remotes: RemoteCandidateSet;
  readonly candidateFactory = new LocalCandidateFactory();
  localGatheringDone = false;
  remoteGatheringDone = false;

  readonly list: CheckList;
  readonly transactions: TransactionTable;
  readonly consent: ConsentMonitor;
  readonly earlyChecks = new EarlyChecks(16);

  selected: CandidatePair | undefined;
  nominationDone = false;
  restarting = false;
  /**
   * The peer restarted (new remote ufrag) and we have not renewed our credentials yet: the
   * candidates it sent since belong to the new generation and survive our own restart.
   */
  remoteRestartedFirst = false;
  /**
   * We restarted first (our offer): the next new remote ufrag is the peer's answer to it, which
   * joins our generation; any later new ufrag is a restart of the peer's own (RFC 8445 9).
   */
  awaitingRestartAnswer = false;
  firstValidAt: number | undefined;
  nextCheckAt: number | undefined;
  lastNow = 0;
  checksStarted = false;

  connectionState: IceConnectionState = 'new';
  readonly transmits: Transmit[] = [];
  readonly events: IceAgentEvent[] = [];
  readonly stats: IceAgentStats = {
    malformed: 0,
    badFingerprint: 0,
    unauthenticated: 0,
    unknownTransaction: 0,
    unknownComprehensionRequired: 0,
    roleConflicts: 0,
    droppedData: 0,
    droppedPeerReflexive: 0,
    droppedPairs: 0,
    checksSent: 0,
    retransmissions: 0,
    responsesSent: 0,
    consentRequestsSent: 0,
  };

  constructor(options: IceAgentOptions) {
    this.random = options.random ?? pooledRandomBytes;
    this.lite = options.lite ?? false;
    // RFC 8445 section 6.1.1: a lite agent is always controlled when its peer is full.
    this.controlling = this.lite ? false : options.controlling;
    this.tieBreaker = Buffer.from(this.random(8)).readBigUInt64BE(0);
    this.software = options.software;
    this.opts = settingsFrom(options);
    this.list = new CheckList(this.opts.maxPairs, this.opts.relayOnly);
    this.transactions = new TransactionTable(this.opts.maxRtoMs, this.opts.maxCheckTransmissions);
    this.remotes = new RemoteCandidateSet(
      this.opts.maxRemoteCandidates,
      this.opts.maxPeerReflexiveCandidates,
    );
    this.consent = new ConsentMonitor(this.opts, this.random);
    this.local = makeCredentials(this.random, options.localCredentials);
  }

  formPair(local: LocalCandidate, remote: IceCandidate): CandidatePair | undefined {
    const pair = this.list.form(local, remote, this.controlling, this.selected);
    this.stats.droppedPairs = this.list.dropped;
    if (pair && this.nextCheckAt === undefined) this.nextCheckAt = this.lastNow;
    return pair;
  }

  /** Puts `next` in the place of local candidate `previous`, in the list and in every pair. */
  replaceLocal(previous: LocalCandidate, next: LocalCandidate): void {
    const i = this.localCandidates.indexOf(previous);
    if (i >= 0) this.localCandidates[i] = next;
    for (const p of this.list.pairs) {
      if (p.local !== previous) continue;
      (p as { local: LocalCandidate }).local = next;
      p.updatePriority(this.controlling);
    }
    if (this.selected?.local === previous) (this.selected as { local: LocalCandidate }).local = next;
    this.list.sort();
  }

  /** Sends on `pair`; `request` when it is a check or consent request that expects an answer. */
  transmit(pair: CandidatePair, data: Buffer, now: number, request: boolean): void {
    this.transmits.push({
      socketId: pair.local.socketId,
      destination: { address: pair.remote.address, port: pair.remote.port },
      data,
    });
    if (pair !== this.selected) return;
    this.consent.sent(now);
    if (request) this.consent.requestSent(now);
  }

  /** The selected pair's round trip time, for the `disconnected` rule (consent.ts). */
  selectedRttMs(): number {
    return this.selected?.stats.currentRoundTripTimeMs ?? this.opts.initialRtoMs;
  }

  respondError(
    socketId: string,
    to: TransportAddress,
    msg: StunMessage,
    code: number,
    key: StunIntegrityKey | undefined,
    unknown?: number[],
  ): void {
    this.transmits.push({
      socketId,
      destination: to,
      data: buildErrorResponse(msg.transactionId, code, key, unknown, this.software),
    });
  }

  /** A check or consent request on `pair`, signed with the remote password (RFC 8445 section 7.1.1). */
  newTransaction(
    pair: CandidatePair,
    kind: 'check' | 'consent',
    useCandidate: boolean,
    now: number,
  ): Transaction {
    const remote = this.remote!;
    const id = Buffer.from(this.random(12));
    const localPreference = Math.floor(pair.local.priority / 256) & 0xffff;
    // RFC 8445 section 7.1.1: PRIORITY is what a peer-reflexive candidate of ours would have.
    const priority =
      pair.local.transport === 'tcp'
        ? tcpCandidatePriority('prflx', pair.local.tcpType ?? 'active', localPreference)
        : candidatePriority('prflx', localPreference);
    const bytes = buildBindingRequest({
      transactionId: id,
      username: `${remote.ufrag}:${(pair.boundLocal ?? this.local).ufrag}`,
      priority,
      controlling: this.controlling,
      tieBreaker: this.tieBreaker,
      useCandidate,
      key: remote.key,
      software: this.software,
    });
    return {
      id,
      pair,
      kind,
      useCandidate,
      controlling: this.controlling,
      priority,
      bytes,
      key: remote.key,
      transmissions: 1,
      firstSentAt: now,
      rto: this.opts.initialRtoMs,
      nextAt: now + this.opts.initialRtoMs,
    };
  }

  switchRole(controlling: boolean): void {
    if (this.controlling === controlling) return;
    this.controlling = controlling;
    this.list.updatePriorities(controlling);
    this.events.push({ type: 'role-change', controlling });
  }

  failPair(pair: CandidatePair): void {
    pair.state = 'failed';
    pair.nominating = false;
  }

  select(pair: CandidatePair, now: number): void {
    if (this.selected === pair) return;
    // Accept aggressive nomination from the peer: the best nominated pair wins, except that
    // after a restart the first pair of the new generation always replaces the old one.
    if (
      this.selected &&
      !this.restarting &&
      this.selected.nominated &&
      this.selected.priority > pair.priority
    ) {
      if (this.list.pairs.includes(this.selected)) return;
    }
    this.selected = pair;
    this.restarting = false;
    this.remoteRestartedFirst = false;
    this.previousLocal = undefined;
    this.consent.start(now);
    if (pair.nominated) this.releaseOtherPairs(pair);
    log('selected %s -> %s:%d', pair.local.socketId, pair.remote.address, pair.remote.port);
    this.events.push({ type: 'selected-pair', pair: pair.info() });
  }

  /**
   * RFC 8445 section 8.1.2: with a pair nominated, nothing else is checked: no ordinary checks
   * on either side, and checks in flight on other pairs are cancelled (not retransmitted, not
   * failed, a late answer still accepted; the pair goes back to Waiting). Without this an
   * unreachable candidate cost up to seven check transmissions per pair on both sides after the
   * connection was up. The pairs stay listed, unlike the RFC's removal: data from them is still
   * accepted (an aggressively nominating peer may send on the pair it nominated last), and a
   * check from the peer on one still triggers ours (section 7.3.1.4).
   */
  private releaseOtherPairs(pair: CandidatePair): void {
    this.nominationDone = true;
    const released = (p: CandidatePair): boolean => p !== pair && !p.nominating;
    this.transactions.cancelWhere((t) => t.kind === 'check' && released(t.pair));
    for (const p of this.list.pairs) if (p.state === 'in-progress' && released(p)) p.state = 'waiting';
  }

  updateState(now: number): void {
    if (this.connectionState === 'closed') return;
    this.setState(
      nextConnectionState({
        current: this.connectionState,
        hasSelectedPair: this.selected !== undefined,
        sinceConsentMs: now - this.consent.lastConsentAt,
        consentChecked: !this.lite,
        consentFailing: this.consent.disconnected(now, this.selectedRttMs()),
        consentTimeoutMs: this.opts.consentTimeoutMs,
        nominationSettled: this.nominationDone || this.lite || !this.controlling,
        nominationDone: this.nominationDone,
        pairStates: this.list.pairs.map((p) => p.state),
        triggeredPending: this.list.triggered.length > 0,
        checksStarted: this.checksStarted,
        localGatheringDone: this.localGatheringDone,
        remoteGatheringDone: this.remoteGatheringDone,
        unresolvedRemote: this.remotes.hasUnresolved,
        restarting: this.restarting,
      }),
    );
  }

  setState(state: IceConnectionState): void {
    if (this.connectionState === state) return;
    // W3C webrtc-pc 5.6.3: `completed` is reached through `connected`.
    if (state === 'completed' && this.connectionState !== 'connected') this.setState('connected');
    this.connectionState = state;
    // RFC 7675 section 5.1: once consent expires, nothing more is sent on the pair.
    if (state === 'failed') this.transactions.removeWhere((t) => t.kind === 'consent');
    log('state %s', state);
    this.events.push({ type: 'state-change', state });
  }
}
