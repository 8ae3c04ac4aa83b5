import { randomBytes } from 'node:crypto';
import { debuglog } from 'node:util';
import { sameTransportAddress, type TransportAddress } from '../stun/address.js';
import { StunClass, StunErrorCode, StunMethod } from '../stun/constants.js';
import { StunIntegrityKey } from '../stun/integrity.js';
import { StunMessage } from '../stun/message.js';
import {
  candidatePriority,
  type IceCandidate,
  isIpAddress,
  parseCandidate,
  tcpCandidatePriority,
} from './candidate.js';
import { CheckList } from './check-list.js';
import { buildBindingRequest, buildErrorResponse, buildIndication, buildSuccessResponse } from './checks.js';
import { nextConnectionState } from './connection-state.js';
import { type Credentials, makeCredentials } from './credentials.js';
import { LocalCandidateFactory } from './local-candidates.js';
import type { CandidatePair } from './pair.js';
import { checkRequest, resolveRoleConflict } from './request-rules.js';
import { type Transaction, TransactionTable } from './transactions.js';
import type {
  CandidatePairInfo,
  IceAgentEvent,
  IceAgentOptions,
  IceAgentStats,
  IceConnectionState,
  IceCredentials,
  LocalCandidate,
  LocalCandidateInput,
  Transmit,
} from './types.js';

const log = debuglog('purertc:ice');

/**
 * A sans-I/O ICE agent (RFC 8445) for one data stream with one component (bundle and
 * rtcp-mux, as WebRTC uses it), with trickle (RFC 8838) and consent freshness (RFC 7675).
 * Inputs carry `now` in milliseconds; outputs are drained with `pollTransmit` and `pollEvent`.
 */
export class IceAgent {
  readonly lite: boolean;
  private controllingRole: boolean;
  private readonly tieBreaker: bigint;
  private readonly random: (size: number) => Uint8Array;
  private readonly opts: Required<
    Omit<
      IceAgentOptions,
      'localCredentials' | 'remoteCredentials' | 'random' | 'lite' | 'controlling' | 'software'
    >
  >;
  private readonly software: string | undefined;

  private local: Credentials;
  /** The credentials before the last restart, still answered until a new pair is selected. */
  private previousLocal: Credentials | undefined;
  private remote: Credentials | undefined;

  private readonly localCandidates: LocalCandidate[] = [];
  private readonly remoteCandidates: IceCandidate[] = [];
  private unresolved: IceCandidate[] = [];
  private prflxCount = 0;
  private readonly candidateFactory = new LocalCandidateFactory();
  private localGatheringDone = false;
  private remoteGatheringDone = false;

  private readonly list: CheckList;
  private readonly transactions: TransactionTable;

  private selected: CandidatePair | undefined;
  private nominationDone = false;
  private restarting = false;
  private firstValidAt: number | undefined;
  private nextCheckAt: number | undefined;
  private lastConsentAt = 0;
  /** Last sign of life on the selected pair: a consent response, a check from the peer, or data. */
  private lastHeardAt = 0;
  private nextConsentAt: number | undefined;
  private lastSentOnSelectedAt = 0;
  private lastNow = 0;
  private checksStarted = false;

  private connectionState: IceConnectionState = 'new';
  private readonly transmits: Transmit[] = [];
  private readonly events: IceAgentEvent[] = [];
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
    this.random = options.random ?? ((n) => randomBytes(n));
    this.lite = options.lite ?? false;
    // RFC 8445 section 6.1.1: a lite agent is always controlled when its peer is full.
    this.controllingRole = this.lite ? false : options.controlling;
    this.tieBreaker = Buffer.from(this.random(8)).readBigUInt64BE(0);
    this.software = options.software;
    this.opts = {
      taMs: options.taMs ?? 50,
      initialRtoMs: options.initialRtoMs ?? 250,
      maxRtoMs: options.maxRtoMs ?? 1600,
      maxCheckTransmissions: options.maxCheckTransmissions ?? 7,
      nominationDelayMs: options.nominationDelayMs ?? 1000,
      consentIntervalMs: options.consentIntervalMs ?? 5000,
      disconnectedTimeoutMs: options.disconnectedTimeoutMs ?? 7500,
      consentTimeoutMs: options.consentTimeoutMs ?? 30_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      relayOnly: options.relayOnly ?? false,
      maxRemoteCandidates: options.maxRemoteCandidates ?? 64,
      maxPeerReflexiveCandidates: options.maxPeerReflexiveCandidates ?? 16,
      maxPairs: options.maxPairs ?? 100,
    };
    this.list = new CheckList(this.opts.maxPairs, this.opts.relayOnly);
    this.transactions = new TransactionTable(this.opts.maxRtoMs, this.opts.maxCheckTransmissions);
    this.local = makeCredentials(this.random, options.localCredentials);
    if (options.remoteCredentials) this.setRemoteCredentials(options.remoteCredentials);
  }

  // ---- public state ----

  get state(): IceConnectionState {
    return this.connectionState;
  }
  get controlling(): boolean {
    return this.controllingRole;
  }
  get localCredentials(): IceCredentials {
    return { ufrag: this.local.ufrag, pwd: this.local.pwd };
  }
  get selectedPair(): CandidatePairInfo | undefined {
    return this.selected?.info();
  }
  get localCandidateList(): readonly LocalCandidate[] {
    return this.localCandidates;
  }
  get remoteCandidateList(): readonly IceCandidate[] {
    return this.remoteCandidates;
  }
  get checkList(): readonly CandidatePairInfo[] {
    return this.list.pairs.map((p) => p.info());
  }

  // ---- configuration inputs ----

  setRemoteCredentials(credentials: IceCredentials): void {
    if (this.remote && this.remote.ufrag === credentials.ufrag && this.remote.pwd === credentials.pwd) return;
    if (this.remote && this.remote.ufrag !== credentials.ufrag) {
      // RFC 8445 section 9: a new remote ufrag means the peer restarted ICE.
      if (!this.restarting) this.beginRestart(false);
    }
    this.remote = {
      ufrag: credentials.ufrag,
      pwd: credentials.pwd,
      key: StunIntegrityKey.shortTerm(credentials.pwd),
    };
  }

  /** Adds a gathered local candidate; returns it with its priority and foundation. */
  addLocalCandidate(input: LocalCandidateInput): LocalCandidate {
    const candidate = this.candidateFactory.create(input, this.local.ufrag);
    const duplicate = this.localCandidates.find(
      (c) =>
        c.socketId === candidate.socketId && c.address === candidate.address && c.port === candidate.port,
    );
    if (duplicate) return duplicate;
    this.localCandidates.push(candidate);
    this.events.push({ type: 'local-candidate', candidate });
    for (const remote of this.remoteCandidates) this.formPair(candidate, remote);
    return candidate;
  }

  endOfLocalCandidates(): void {
    if (this.localGatheringDone) return;
    this.localGatheringDone = true;
    this.events.push({ type: 'local-candidates-complete' });
  }

  /** Adds a remote candidate (an `IceCandidate` or a `candidate:` line). Returns false when ignored. */
  addRemoteCandidate(candidate: IceCandidate | string): boolean {
    let c: IceCandidate;
    try {
      c = typeof candidate === 'string' ? parseCandidate(candidate) : candidate;
    } catch {
      this.stats.malformed++;
      return false;
    }
    if (this.remote && c.ufrag !== undefined && c.ufrag !== this.remote.ufrag) return false;
    if (c.component !== 1) return false;
    if (!isIpAddress(c.address)) return this.deferUntilResolved(c);
    const existing = this.findRemote(c.address, c.port);
    if (existing) {
      if (existing.type === 'prflx') {
        // RFC 8445 section 7.3.1.3: the signalled candidate replaces the peer-reflexive one.
        const i = this.remoteCandidates.indexOf(existing);
        this.remoteCandidates[i] = c;
        this.prflxCount--;
        for (const p of this.list.pairs) {
          if (p.remote === existing) {
            (p as { remote: IceCandidate }).remote = c;
            p.updatePriority(this.controllingRole);
          }
        }
        this.list.sort();
      }
      return true;
    }
    if (this.remoteCandidates.length >= this.opts.maxRemoteCandidates) return false;
    this.remoteCandidates.push(c);
    for (const local of this.localCandidates) this.formPair(local, c);
    return true;
  }

  /**
   * Supplies the addresses a remote candidate's host name resolved to (none when it did not).
   * The rest of the check list never waits for this (draft-ietf-mmusic-mdns-ice-candidates section 3.2).
   */
  resolveRemoteAddress(name: string, addresses: readonly string[]): void {
    const waiting = this.unresolved.filter((c) => c.address === name);
    this.unresolved = this.unresolved.filter((c) => c.address !== name);
    for (const c of waiting) {
      for (const address of addresses) {
        if (!isIpAddress(address)) continue;
        this.addRemoteCandidate({ ...c, address });
      }
    }
  }

  private deferUntilResolved(c: IceCandidate): boolean {
    if (this.unresolved.length >= 16) return false;
    const known = this.unresolved.some((u) => u.address === c.address);
    this.unresolved.push(c);
    if (!known) this.events.push({ type: 'resolve-address', name: c.address });
    return true;
  }

  /** RFC 8838 section 8.2: the peer has no more candidates, so all-failed now means failed. */
  endOfRemoteCandidates(): void {
    this.remoteGatheringDone = true;
  }

  /**
   * RFC 8445 section 9: new local credentials and a fresh check list; the selected pair keeps
   * carrying data (and consent) until checks select a new one.
   */
  restart(credentials?: IceCredentials): IceCredentials {
    this.beginRestart(true, credentials);
    return this.localCredentials;
  }

  close(): void {
    this.setState('closed');
    this.transactions.clear();
    this.list.triggered.length = 0;
    this.transmits.length = 0;
  }

  // ---- I/O inputs ----

  handleDatagram(socketId: string, remote: TransportAddress, bytes: Uint8Array, now: number): void {
    this.lastNow = Math.max(this.lastNow, now);
    if (this.connectionState === 'closed') return;
    // RFC 7983 section 7: first byte 0-3 is STUN; everything else belongs to the application.
    if (bytes.length === 0 || bytes[0]! > 3) {
      this.receiveData(socketId, remote, bytes);
      return;
    }
    const msg = StunMessage.tryParse(bytes);
    if (!msg) {
      this.stats.malformed++;
      return;
    }
    // RFC 8445 section 7.2.2 and 7.3: a FINGERPRINT that is present must be right.
    if (msg.fingerprintOffset >= 0 && !msg.hasValidFingerprint()) {
      this.stats.badFingerprint++;
      return;
    }
    if (msg.method !== StunMethod.Binding) {
      this.stats.malformed++;
      return;
    }
    switch (msg.messageClass) {
      case StunClass.Request:
        this.handleRequest(socketId, remote, msg, now);
        break;
      case StunClass.SuccessResponse:
      case StunClass.ErrorResponse:
        this.handleResponse(socketId, remote, msg, now);
        break;
      default:
        // Binding indications are keepalives (RFC 8445 section 11): nothing to do.
        break;
    }
    // A check that just succeeded may be the one to nominate: do not wait for the timer.
    this.maybeNominate(now);
    this.updateState(now);
  }

  handleTimeout(now: number): void {
    this.lastNow = Math.max(this.lastNow, now);
    if (this.connectionState === 'closed') return;
    this.retransmit(now);
    this.maybeNominate(now);
    this.paceChecks(now);
    this.maintainConsent(now);
    this.updateState(now);
  }

  /** The earliest time `handleTimeout` has work to do, or undefined when there is none. */
  nextDeadline(): number | undefined {
    if (this.connectionState === 'closed') return undefined;
    let next = Number.POSITIVE_INFINITY;
    next = Math.min(next, this.transactions.earliestDeadline() ?? next);
    if (this.hasCheckWork()) next = Math.min(next, this.nextCheckAt ?? this.lastNow);
    if (this.canNominate())
      next = Math.min(next, (this.firstValidAt ?? this.lastNow) + this.opts.nominationDelayMs);
    if (this.selected && !this.lite && this.connectionState !== 'failed') {
      if (this.nextConsentAt !== undefined) next = Math.min(next, this.nextConsentAt);
      next = Math.min(next, this.lastSentOnSelectedAt + this.opts.keepaliveIntervalMs);
      if (this.connectionState !== 'disconnected') {
        next = Math.min(
          next,
          Math.max(this.lastConsentAt, this.lastHeardAt) + this.opts.disconnectedTimeoutMs,
        );
      }
      next = Math.min(next, this.lastConsentAt + this.opts.consentTimeoutMs);
    }
    return Number.isFinite(next) ? Math.max(next, this.lastNow) : undefined;
  }

  pollTransmit(): Transmit | undefined {
    return this.transmits.shift();
  }

  pollEvent(): IceAgentEvent | undefined {
    return this.events.shift();
  }

  /** Sends application data over the selected pair. False when there is none or consent is lost. */
  send(data: Uint8Array): boolean {
    const pair = this.selected;
    if (!pair || this.connectionState === 'failed' || this.connectionState === 'closed') return false;
    this.transmits.push({
      socketId: pair.local.socketId,
      destination: { address: pair.remote.address, port: pair.remote.port },
      data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    });
    this.lastSentOnSelectedAt = this.lastNow;
    pair.stats.packetsSent++;
    pair.stats.bytesSent += data.byteLength;
    pair.stats.lastPacketSentAt = this.lastNow;
    return true;
  }

  // ---- candidates and pairs ----

  private findRemote(address: string, port: number): IceCandidate | undefined {
    return this.remoteCandidates.find((c) => c.port === port && c.address === address);
  }

  private formPair(local: LocalCandidate, remote: IceCandidate): CandidatePair | undefined {
    const pair = this.list.form(local, remote, this.controllingRole, this.selected);
    this.stats.droppedPairs = this.list.dropped;
    if (pair && this.nextCheckAt === undefined) this.nextCheckAt = this.lastNow;
    return pair;
  }

  private beginRestart(newLocal: boolean, credentials?: IceCredentials): void {
    if (this.connectionState === 'closed') return;
    if (this.connectionState === 'failed') {
      // Consent was lost: nothing to keep, the restart starts from scratch (RFC 7675 section 5.1).
      this.selected = undefined;
      this.nextConsentAt = undefined;
      this.transactions.removeWhere((t) => t.kind === 'consent');
    }
    if (newLocal) {
      this.previousLocal = this.local;
      this.local = makeCredentials(this.random, credentials);
    }
    this.restarting = this.selected !== undefined;
    this.transactions.removeWhere((t) => t.kind === 'check');
    this.list.clear();
    this.remoteCandidates.length = 0;
    this.unresolved = [];
    this.prflxCount = 0;
    this.remoteGatheringDone = false;
    this.nominationDone = false;
    this.firstValidAt = undefined;
    this.checksStarted = false;
    this.nextCheckAt = undefined;
    if (newLocal) {
      // Local candidates stay (same sockets); they are signalled again with the new ufrag.
      // Peer-reflexive ones are forgotten: they are learned again, never signalled.
      const renewed = this.localCandidates
        .filter((c) => c.type !== 'prflx')
        .map((c) => ({ ...c, ufrag: this.local.ufrag }));
      this.localCandidates.length = 0;
      this.localCandidates.push(...renewed);
      this.localGatheringDone = false;
      for (const c of renewed) this.events.push({ type: 'local-candidate', candidate: c });
    }
    if (!this.selected && this.connectionState !== 'new') this.setState('checking');
    this.updateState(this.lastNow);
  }

  // ---- incoming STUN ----

  private handleRequest(socketId: string, from: TransportAddress, msg: StunMessage, now: number): void {
    const verdict = checkRequest(msg, this.local, this.previousLocal);
    if (!verdict.ok) {
      if (verdict.code === StunErrorCode.UnknownAttribute) this.stats.unknownComprehensionRequired++;
      else this.stats.unauthenticated++;
      this.respondError(socketId, from, msg, verdict.code, verdict.credentials?.key, verdict.unknown);
      return;
    }
    const creds = verdict.credentials;
    const local = this.localCandidates.find(
      (c) => c.socketId === socketId && c.type !== 'srflx' && c.type !== 'prflx',
    );
    if (!local) {
      this.stats.droppedData++;
      return;
    }
    const conflict = resolveRoleConflict(this.controllingRole, this.tieBreaker, msg);
    if (conflict !== 'none') {
      this.stats.roleConflicts++;
      if (conflict === 'reject') {
        this.respondError(socketId, from, msg, StunErrorCode.RoleConflict, creds.key);
        return;
      }
      this.switchRole(!this.controllingRole);
    }
    this.transmits.push({
      socketId,
      destination: from,
      data: buildSuccessResponse(msg.transactionId, from, creds.key, this.software),
    });
    this.stats.responsesSent++;
    if (creds !== this.local || !this.remote) return; // answered; no check list for old or unknown peers
    // RFC 8445 section 7.3.1.3: learn peer-reflexive candidates.
    let remote = this.findRemote(from.address, from.port);
    if (!remote) {
      if (
        this.prflxCount >= this.opts.maxPeerReflexiveCandidates ||
        this.remoteCandidates.length >= this.opts.maxRemoteCandidates
      ) {
        this.stats.droppedPeerReflexive++;
        return;
      }
      remote = {
        foundation: `p${this.prflxCount + 1}`,
        component: 1,
        transport: local.transport,
        priority: msg.priority() ?? candidatePriority('prflx', 0xffff),
        address: from.address,
        port: from.port,
        type: 'prflx',
        // RFC 6544 section 7.2: a check arriving on a passive socket came from an active candidate.
        ...(local.transport === 'tcp' ? { tcpType: local.tcpType === 'passive' ? 'active' : 'so' } : {}),
      } as IceCandidate;
      this.prflxCount++;
      this.remoteCandidates.push(remote);
    }
    let pair = this.list.get(socketId, from.address, from.port);
    if (!pair) {
      pair = this.formPair(local, remote);
      if (!pair) return;
    }
    pair.stats.requestsReceived++;
    if (pair === this.selected) this.lastHeardAt = now;
    pair.stats.responsesSent++;
    const useCandidate = msg.useCandidate() && !this.controllingRole;
    if (this.lite) {
      // RFC 8445 section 7.3.1.5 for lite: the pair is valid once the peer checks it.
      pair.state = 'succeeded';
      if (useCandidate) {
        pair.nominated = true;
        this.select(pair, now);
      }
      return;
    }
    // RFC 8445 section 7.3.1.4: triggered checks.
    if (pair.state === 'succeeded') {
      if (useCandidate) {
        pair.nominated = true;
        this.select(pair, now);
      }
      return;
    }
    if (useCandidate) pair.nominateOnSuccess = true;
    // RFC 8445 section 7.3.1.4: a pair in progress has its check cancelled and re-triggered
    // (the cancelled transaction can still succeed); any other state is triggered.
    pair.state = 'waiting';
    this.list.trigger(pair);
    if (this.nextCheckAt === undefined || this.nextCheckAt > now) this.nextCheckAt = now;
  }

  private respondError(
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

  private switchRole(controlling: boolean): void {
    if (this.controllingRole === controlling) return;
    this.controllingRole = controlling;
    this.list.updatePriorities(controlling);
    this.events.push({ type: 'role-change', controlling });
  }

  private handleResponse(socketId: string, from: TransportAddress, msg: StunMessage, now: number): void {
    const tx = this.transactions.get(msg.transactionId);
    if (!tx) {
      this.stats.unknownTransaction++;
      return;
    }
    // RFC 8445 section 7.2.5.1 / RFC 8489 section 6.3: responses must carry valid integrity.
    if (!msg.verifyIntegrity(tx.key)) {
      this.stats.unauthenticated++;
      return;
    }
    this.transactions.delete(tx);
    const pair = tx.pair;
    if (msg.messageClass === StunClass.ErrorResponse) {
      const code = msg.errorCode()?.code;
      if (code === StunErrorCode.RoleConflict && tx.kind === 'check') {
        // RFC 8445 section 7.2.5.1: switch role and check the pair again.
        this.stats.roleConflicts++;
        this.switchRole(!tx.controlling);
        pair.state = 'waiting';
        pair.nominating = false;
        this.list.trigger(pair);
        this.nextCheckAt = Math.min(this.nextCheckAt ?? now, now);
        return;
      }
      if (tx.kind === 'check') this.failPair(pair);
      return;
    }
    // RFC 8445 section 7.2.5.2.1: the response must come back symmetrically.
    if (socketId !== pair.local.socketId || !sameTransportAddress(from, pair.remote)) {
      if (tx.kind === 'check') this.failPair(pair);
      return;
    }
    pair.stats.responsesReceived++;
    if (tx.transmissions === 1) {
      const rtt = now - tx.firstSentAt;
      pair.stats.currentRoundTripTimeMs = rtt;
      pair.stats.totalRoundTripTimeMs += rtt;
      pair.stats.roundTripTimeMeasurements++;
    }
    if (pair === this.selected) {
      this.lastConsentAt = now;
      this.lastHeardAt = now;
    }
    if (tx.kind === 'consent') return;
    const mapped = msg.xorMappedAddress();
    if (mapped) {
      pair.mappedAddress = mapped;
      this.learnLocalPeerReflexive(pair, mapped, tx);
    }
    const wasValid = pair.state === 'succeeded';
    pair.state = 'succeeded';
    if (!wasValid && this.firstValidAt === undefined) this.firstValidAt = now;
    this.list.unfreezeFoundation(pair.foundation);
    if (tx.useCandidate && this.controllingRole) {
      pair.nominated = true;
      pair.nominating = false;
      this.nominationDone = true;
      this.select(pair, now);
    } else if (!this.controllingRole && pair.nominateOnSuccess) {
      pair.nominated = true;
      this.select(pair, now);
    }
  }

  /**
   * RFC 8445 section 7.2.5.3.1: a mapped address that is none of our candidates is a
   * peer-reflexive local candidate. It is not signalled and sends through the same socket, so
   * the pair that found it stays the one that carries traffic; it is kept for stats.
   */
  private learnLocalPeerReflexive(pair: CandidatePair, mapped: TransportAddress, tx: Transaction): void {
    if (pair.local.type === 'relay') return;
    const known = this.localCandidates.some((c) => c.address === mapped.address && c.port === mapped.port);
    if (known || this.localCandidates.length >= 64) return;
    this.localCandidates.push({
      socketId: pair.local.socketId,
      foundation: `${pair.local.foundation}p`,
      component: 1,
      transport: pair.local.transport,
      priority: tx.priority,
      address: mapped.address,
      port: mapped.port,
      type: 'prflx',
      relatedAddress: pair.local.address,
      relatedPort: pair.local.port,
      ufrag: this.local.ufrag,
    });
  }

  private failPair(pair: CandidatePair): void {
    pair.state = 'failed';
    pair.nominating = false;
  }

  private select(pair: CandidatePair, now: number): void {
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
    this.previousLocal = undefined;
    this.lastConsentAt = now;
    this.lastHeardAt = now;
    this.lastSentOnSelectedAt = now;
    this.scheduleConsent(now);
    log('selected %s -> %s:%d', pair.local.socketId, pair.remote.address, pair.remote.port);
    this.events.push({ type: 'selected-pair', pair: pair.info() });
  }

  private receiveData(socketId: string, from: TransportAddress, bytes: Uint8Array): void {
    const selected = this.selected;
    const pair =
      selected && selected.local.socketId === socketId && sameTransportAddress(selected.remote, from)
        ? selected
        : this.list.get(socketId, from.address, from.port);
    if (!pair) {
      this.stats.droppedData++;
      return;
    }
    pair.stats.packetsReceived++;
    pair.stats.bytesReceived += bytes.byteLength;
    pair.stats.lastPacketReceivedAt = this.lastNow;
    if (pair === selected) this.lastHeardAt = this.lastNow;
    const data = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.events.push({ type: 'data', data, socketId, remote: from });
  }

  // ---- timers ----

  private hasCheckWork(): boolean {
    if (this.lite || !this.remote) return false;
    return this.list.hasWork(!this.nominationDone);
  }

  /** RFC 8445 section 6.1.4.2: one check per Ta, triggered checks first. */
  private paceChecks(now: number): void {
    if (!this.hasCheckWork()) {
      this.nextCheckAt = undefined;
      return;
    }
    if (this.nextCheckAt !== undefined && now < this.nextCheckAt) return;
    const pair = this.list.next(!this.nominationDone);
    if (pair) {
      this.checksStarted = true;
      this.sendCheck(pair, now, pair.nominating);
    }
    this.nextCheckAt = now + this.opts.taMs;
  }

  private sendCheck(pair: CandidatePair, now: number, useCandidate: boolean): void {
    const remote = this.remote;
    if (!remote) return;
    // A pair has at most one check in flight: a new one replaces the old.
    this.transactions.cancelWhere((t) => t.pair === pair && t.kind === 'check');
    const tx = this.newTransaction(pair, 'check', useCandidate, now);
    pair.state = 'in-progress';
    this.transactions.add(tx);
    this.transmit(pair, tx.bytes, now);
    this.stats.checksSent++;
    pair.stats.requestsSent++;
  }

  private newTransaction(
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
      username: `${remote.ufrag}:${this.local.ufrag}`,
      priority,
      controlling: this.controllingRole,
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
      controlling: this.controllingRole,
      priority,
      bytes,
      key: remote.key,
      transmissions: 1,
      firstSentAt: now,
      rto: this.opts.initialRtoMs,
      nextAt: now + this.opts.initialRtoMs,
    };
  }

  private transmit(pair: CandidatePair, data: Buffer, now: number): void {
    this.transmits.push({
      socketId: pair.local.socketId,
      destination: { address: pair.remote.address, port: pair.remote.port },
      data,
    });
    if (pair === this.selected) this.lastSentOnSelectedAt = now;
  }

  private retransmit(now: number): void {
    const { resend, expired } = this.transactions.poll(now);
    for (const tx of expired) if (tx.kind === 'check') this.failPair(tx.pair);
    for (const tx of resend) {
      this.stats.retransmissions++;
      this.transmit(tx.pair, tx.bytes, now);
    }
  }

  /** RFC 8445 section 8.1.1: regular nomination of the best valid pair. */
  private canNominate(): boolean {
    if (!this.controllingRole || this.lite || this.nominationDone) return false;
    if (this.list.pairs.some((p) => p.nominating)) return false;
    return this.list.pairs.some((p) => p.state === 'succeeded');
  }

  private maybeNominate(now: number): void {
    if (!this.canNominate()) return;
    const best = this.list.pairs.find((p) => p.state === 'succeeded')!;
    const betterPending = this.list.pairs.some(
      (p) =>
        p.priority > best.priority &&
        (p.state === 'waiting' || p.state === 'in-progress' || p.state === 'frozen'),
    );
    if (betterPending && now < (this.firstValidAt ?? now) + this.opts.nominationDelayMs) return;
    best.nominating = true;
    this.list.triggered.unshift(best);
    this.nextCheckAt = Math.min(this.nextCheckAt ?? now, now);
  }

  private scheduleConsent(now: number): void {
    // RFC 7675 section 5.1: randomised interval, 0.8 to 1.2 times the base.
    const r = this.random(1)[0]! / 255;
    this.nextConsentAt = now + Math.round(this.opts.consentIntervalMs * (0.8 + 0.4 * r));
  }

  private maintainConsent(now: number): void {
    const pair = this.selected;
    if (!pair || this.lite || this.connectionState === 'failed' || !this.remote) return;
    if (this.nextConsentAt !== undefined && now >= this.nextConsentAt) {
      const tx = this.newTransaction(pair, 'consent', false, now);
      this.transactions.add(tx);
      this.transmit(pair, tx.bytes, now);
      this.stats.consentRequestsSent++;
      pair.stats.consentRequestsSent++;
      this.scheduleConsent(now);
    }
    if (now - this.lastSentOnSelectedAt >= this.opts.keepaliveIntervalMs) {
      this.transmit(pair, buildIndication(Buffer.from(this.random(12))), now);
    }
  }

  // ---- state ----

  private updateState(now: number): void {
    if (this.connectionState === 'closed') return;
    this.setState(
      nextConnectionState({
        current: this.connectionState,
        hasSelectedPair: this.selected !== undefined,
        sinceConsentMs: now - this.lastConsentAt,
        sinceHeardMs: now - Math.max(this.lastConsentAt, this.lastHeardAt),
        consentChecked: !this.lite,
        disconnectedTimeoutMs: this.opts.disconnectedTimeoutMs,
        consentTimeoutMs: this.opts.consentTimeoutMs,
        nominationSettled: this.nominationDone || this.lite || !this.controllingRole,
        nominationDone: this.nominationDone,
        pairStates: this.list.pairs.map((p) => p.state),
        triggeredPending: this.list.triggered.length > 0,
        checksStarted: this.checksStarted,
        localGatheringDone: this.localGatheringDone,
        remoteGatheringDone: this.remoteGatheringDone,
        unresolvedRemote: this.unresolved.length > 0,
        restarting: this.restarting,
      }),
    );
  }

  private setState(state: IceConnectionState): void {
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
