import { sameTransportAddress, type TransportAddress } from '../stun/address.js';
import { StunClass, StunMethod } from '../stun/constants.js';
import { StunIntegrityKey } from '../stun/integrity.js';
import { StunMessage } from '../stun/message.js';
import { AgentCore, log } from './agent-core.js';
import { type IceCandidate, isIpAddress, parseCandidate } from './candidate.js';
import {
  canNominate,
  hasCheckWork,
  maintainConsent,
  maybeNominate,
  paceChecks,
  retransmit,
} from './checking.js';
import { handleBindingRequest, replayEarlyChecks } from './inbound-request.js';
import { handleBindingResponse } from './inbound-response.js';
import { acceptRestartAnswer, beginRestart } from './restart.js';
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

/**
 * A sans-I/O ICE agent (RFC 8445) for one data stream with one component (bundle and
 * rtcp-mux, as WebRTC uses it), with trickle (RFC 8838) and consent freshness (RFC 7675).
 * Inputs carry `now` in milliseconds; outputs are drained with `pollTransmit` and `pollEvent`.
 *
 * This class is the public surface; the work is done by its parts: `inbound-request.ts`
 * (answering checks, peer-reflexive remotes, triggered checks), `inbound-response.ts` (valid
 * pairs, peer-reflexive locals, role conflicts), `checking.ts` (pacing, retransmission,
 * nomination, consent requests and keepalives), `consent.ts` (consent timing) and `restart.ts`.
 */
export class IceAgent {
  readonly lite: boolean;
  readonly stats: IceAgentStats;
  private readonly core: AgentCore;

  constructor(options: IceAgentOptions) {
    this.core = new AgentCore(options);
    this.lite = this.core.lite;
    this.stats = this.core.stats;
    if (options.remoteCredentials) this.setRemoteCredentials(options.remoteCredentials);
  }

  // ---- public state ----

  get state(): IceConnectionState {
    return this.core.connectionState;
  }
  get controlling(): boolean {
    return this.core.controlling;
  }
  get localCredentials(): IceCredentials {
    return { ufrag: this.core.local.ufrag, pwd: this.core.local.pwd };
  }
  get selectedPair(): CandidatePairInfo | undefined {
    return this.core.selected?.info();
  }
  get localCandidateList(): readonly LocalCandidate[] {
    return this.core.localCandidates;
  }
  get remoteCandidateList(): readonly IceCandidate[] {
    return this.core.remotes.list;
  }
  get checkList(): readonly CandidatePairInfo[] {
    return this.core.list.pairs.map((p) => p.info());
  }

  // ---- configuration inputs ----

  /**
   * The peer's ICE parameters from its description; `remote.lite` when it declared `a=ice-lite`
   * (RFC 8839 section 5.3), which keeps us controlling across restarts.
   */
  setRemoteCredentials(credentials: IceCredentials, remote: { readonly lite?: boolean } = {}): void {
    const core = this.core;
    if (remote.lite !== undefined) core.remoteLite = remote.lite;
    if (core.remote && core.remote.ufrag === credentials.ufrag && core.remote.pwd === credentials.pwd) return;
    log('remote credentials %s (was %s)', credentials.ufrag, core.remote?.ufrag);
    if (core.remote && core.remote.ufrag !== credentials.ufrag) {
      // RFC 8445 section 9: a new remote ufrag is either the answer to our restart or a restart
      // of the peer's own, even one offered before our previous restart selected a pair.
      if (core.awaitingRestartAnswer) acceptRestartAnswer(core);
      else beginRestart(core, false);
    }
    core.remote = {
      ufrag: credentials.ufrag,
      pwd: credentials.pwd,
      key: StunIntegrityKey.shortTerm(credentials.pwd),
    };
    replayEarlyChecks(core, credentials.ufrag, core.lastNow);
  }

  /** Adds a gathered local candidate; returns it with its priority and foundation. */
  addLocalCandidate(input: LocalCandidateInput): LocalCandidate {
    const core = this.core;
    const candidate = core.candidateFactory.create(input, core.local.ufrag);
    const duplicate = core.localCandidates.find(
      (c) =>
        c.socketId === candidate.socketId && c.address === candidate.address && c.port === candidate.port,
    );
    if (duplicate) {
      if (duplicate.type !== 'prflx' || candidate.type !== 'srflx') return duplicate;
      // A check's response taught us this address before the STUN server answered: it is a
      // server-reflexive candidate after all, and one to signal (RFC 8445 section 5.1.1.2).
      core.replaceLocal(duplicate, candidate);
      core.events.push({ type: 'local-candidate', candidate });
      return candidate;
    }
    core.localCandidates.push(candidate);
    core.events.push({ type: 'local-candidate', candidate });
    for (const remote of core.remotes.list) core.formPair(candidate, remote);
    return candidate;
  }

  endOfLocalCandidates(): void {
    if (this.core.localGatheringDone) return;
    this.core.localGatheringDone = true;
    this.core.events.push({ type: 'local-candidates-complete' });
  }

  /** Adds a remote candidate (an `IceCandidate` or a `candidate:` line). Returns false when ignored. */
  addRemoteCandidate(candidate: IceCandidate | string): boolean {
    const core = this.core;
    let c: IceCandidate;
    try {
      c = typeof candidate === 'string' ? parseCandidate(candidate) : candidate;
    } catch {
      core.stats.malformed++;
      return false;
    }
    log(
      'remote candidate %s %s:%d ufrag %s (remote %s)',
      c.type,
      c.address,
      c.port,
      c.ufrag,
      core.remote?.ufrag,
    );
    if (core.remote && c.ufrag !== undefined && c.ufrag !== core.remote.ufrag) return false;
    if (c.component !== 1) return false;
    if (!isIpAddress(c.address)) {
      const { accepted, resolveName } = core.remotes.defer(c);
      if (resolveName) core.events.push({ type: 'resolve-address', name: c.address });
      return accepted;
    }
    const added = core.remotes.add(c);
    switch (added.kind) {
      case 'full':
        return false;
      case 'known':
        return true;
      case 'replaced':
        for (const p of core.list.pairs) {
          if (p.remote === added.previous) {
            (p as { remote: IceCandidate }).remote = c;
            p.updatePriority(core.controlling);
          }
        }
        core.list.sort();
        return true;
      case 'added':
        for (const local of core.localCandidates) core.formPair(local, c);
        return true;
    }
  }

  /**
   * Supplies the addresses a remote candidate's host name resolved to (none when it did not).
   * The rest of the check list never waits for this (draft-ietf-mmusic-mdns-ice-candidates section 3.2).
   */
  resolveRemoteAddress(name: string, addresses: readonly string[]): void {
    for (const c of this.core.remotes.takeUnresolved(name)) {
      for (const address of addresses) {
        if (!isIpAddress(address)) continue;
        this.addRemoteCandidate({ ...c, address });
      }
    }
  }

  /** RFC 8838 section 8.2: the peer has no more candidates, so all-failed now means failed. */
  endOfRemoteCandidates(): void {
    this.core.remoteGatheringDone = true;
  }

  /**
   * RFC 8445 section 9: new local credentials and a fresh check list; the selected pair keeps
   * carrying data (and consent) until checks select a new one.
   */
  restart(credentials?: IceCredentials): IceCredentials {
    beginRestart(this.core, true, credentials);
    log('restart: local ufrag %s', this.core.local.ufrag);
    return this.localCredentials;
  }

  close(): void {
    this.core.setState('closed');
    this.core.transactions.clear();
    this.core.list.triggered.length = 0;
    this.core.transmits.length = 0;
  }

  // ---- I/O inputs ----

  handleDatagram(socketId: string, remote: TransportAddress, bytes: Uint8Array, now: number): void {
    const core = this.core;
    core.lastNow = Math.max(core.lastNow, now);
    if (core.connectionState === 'closed') return;
    // RFC 7983 section 7: first byte 0-3 is STUN; everything else belongs to the application.
    if (bytes.length === 0 || bytes[0]! > 3) {
      this.receiveData(socketId, remote, bytes);
      return;
    }
    const msg = StunMessage.tryParse(bytes);
    if (!msg) {
      core.stats.malformed++;
      return;
    }
    // RFC 8445 section 7.2.2 and 7.3: a FINGERPRINT that is present must be right.
    if (msg.fingerprintOffset >= 0 && !msg.hasValidFingerprint()) {
      core.stats.badFingerprint++;
      return;
    }
    if (msg.method !== StunMethod.Binding) {
      core.stats.malformed++;
      return;
    }
    switch (msg.messageClass) {
      case StunClass.Request:
        handleBindingRequest(core, socketId, remote, msg, now);
        break;
      case StunClass.SuccessResponse:
      case StunClass.ErrorResponse:
        handleBindingResponse(core, socketId, remote, msg, now);
        break;
      default:
        // Binding indications are keepalives (RFC 8445 section 11): nothing to do.
        break;
    }
    // A check that just succeeded may be the one to nominate: do not wait for the timer.
    maybeNominate(core, now);
    core.updateState(now);
  }

  handleTimeout(now: number): void {
    const core = this.core;
    core.lastNow = Math.max(core.lastNow, now);
    if (core.connectionState === 'closed') return;
    retransmit(core, now);
    maybeNominate(core, now);
    paceChecks(core, now);
    maintainConsent(core, now);
    core.updateState(now);
  }

  /** The earliest time `handleTimeout` has work to do, or undefined when there is none. */
  nextDeadline(): number | undefined {
    const core = this.core;
    if (core.connectionState === 'closed') return undefined;
    let next = Number.POSITIVE_INFINITY;
    next = Math.min(next, core.transactions.earliestDeadline() ?? next);
    if (hasCheckWork(core)) next = Math.min(next, core.nextCheckAt ?? core.lastNow);
    if (canNominate(core))
      next = Math.min(next, (core.firstValidAt ?? core.lastNow) + core.opts.nominationDelayMs);
    if (core.selected && !core.lite && core.connectionState !== 'failed') {
      next = Math.min(
        next,
        core.consent.deadline(core.connectionState === 'disconnected', core.selectedRttMs()),
      );
    }
    return Number.isFinite(next) ? Math.max(next, core.lastNow) : undefined;
  }

  pollTransmit(): Transmit | undefined {
    return this.core.transmits.shift();
  }

  pollEvent(): IceAgentEvent | undefined {
    return this.core.events.shift();
  }

  /** Sends application data over the selected pair. False when there is none or consent is lost. */
  send(data: Uint8Array): boolean {
    const core = this.core;
    const pair = core.selected;
    if (!pair || core.connectionState === 'failed' || core.connectionState === 'closed') return false;
    core.transmits.push({
      socketId: pair.local.socketId,
      destination: { address: pair.remote.address, port: pair.remote.port },
      data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    });
    core.consent.sent(core.lastNow);
    pair.stats.packetsSent++;
    pair.stats.bytesSent += data.byteLength;
    pair.stats.lastPacketSentAt = core.lastNow;
    return true;
  }

  private receiveData(socketId: string, from: TransportAddress, bytes: Uint8Array): void {
    const core = this.core;
    const selected = core.selected;
    const pair =
      selected && selected.local.socketId === socketId && sameTransportAddress(selected.remote, from)
        ? selected
        : core.list.get(socketId, from.address, from.port);
    if (!pair) {
      core.stats.droppedData++;
      return;
    }
    pair.stats.packetsReceived++;
    pair.stats.bytesReceived += bytes.byteLength;
    pair.stats.lastPacketReceivedAt = core.lastNow;
    if (pair === selected) core.consent.heard(core.lastNow);
    const data = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    core.events.push({ type: 'data', data, socketId, remote: from });
  }
}
