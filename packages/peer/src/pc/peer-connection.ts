import type { PeerDriver } from '../driver/driver.js';
import { invalidAccessError, invalidStateError, operationError } from '../errors.js';
import { wallClock } from '../node/clock.js';
import type { SessionDescription } from '../sdp/model.js';
import { parseSdp } from '../sdp/parse.js';
import {
  needsImplicitRollback,
  type RTCSdpType,
  type RTCSignalingState,
  SignalingStateMachine,
} from '../sdp/signaling-state.js';
import type {
  RTCIceConnectionState,
  RTCIceGatheringState,
  RTCPeerConnectionState,
} from '../transport/states.js';
import { type AppliedDescription, AppliedDescriptions } from './applied-descriptions.js';
import { createCertificate, type RTCCertificate, type RTCCertificateKeygenAlgorithm } from './certificate.js';
import {
  checkConfigurationChange,
  exposedConfiguration,
  type ResolvedConfiguration,
  type RTCConfiguration,
  resolveConfiguration,
} from './configuration.js';
import { RTCDataChannel, type RTCDataChannelInit } from './data-channel.js';
import { DataChannelRegistry } from './data-channel-registry.js';
import { driverFor } from './default-driver.js';
import { safeDispatch } from './event-handlers.js';
import type { RTCIceCandidate, RTCIceCandidateInit } from './ice-candidate.js';
import { IceRestartPlan } from './ice-restart.js';
import { linesForOffer, markLocalRejections, rollbackLines } from './jsep/local-lines.js';
import type { MLine } from './jsep/m-line.js';
import { bindRemoteOffer } from './jsep/media-negotiation.js';
import { isNegotiationNeeded } from './jsep/negotiation-needed.js';
import { readRemoteTransport } from './jsep/read-remote.js';
import { describedTransportGroups } from './jsep/transport-groups.js';
import { describeLocal, LocalDescriptionFactory } from './local-description.js';
import type { RTCRtpReceiver } from './media/receiver.js';
import type { RTCRtpSender } from './media/sender.js';
import type { MediaStream, RtpTrack } from './media/track.js';
import type { RTCRtpTransceiver } from './media/transceiver.js';
import { MediaSession } from './media-session.js';
import { NegotiationNeededEvent } from './negotiation-needed-event.js';
import { OperationsChain } from './operations-chain.js';
import { RTCPeerConnectionEventTarget } from './peer-connection-events.js';
import { applyTrickledCandidate } from './remote-candidate.js';
import { checkRemoteContent } from './remote-description-checks.js';
import { RTCSessionDescription, type RTCSessionDescriptionInit } from './session-description.js';
import { collectStats, type RTCStatsReport } from './stats.js';
import { fireNewTracks } from './track-events.js';
import {
  addTrackTo,
  type RTCRtpTransceiverInit,
  removeTrackFrom,
  type TransceiverRequest,
  transceiverRequest,
} from './track-operations.js';
import {
  appliedUfrag,
  applyRemoteTransports,
  type NegotiatedTransports,
  negotiatedTransports,
  offerGroups,
  startSecureTransports,
} from './transport-negotiation.js';
import { TransportWiring } from './transport-wiring.js';

export interface RTCOfferOptions {
  iceRestart?: boolean;
  offerToReceiveAudio?: boolean;
  offerToReceiveVideo?: boolean;
}

/**
 * W3C webrtc-pc RTCPeerConnection for Node: one transport (ICE + DTLS + SRTP + SCTP) per bundle group on
 * UDP sockets (or the configured driver), JSEP (RFC 9429) over the SDP package.
 */
export class RTCPeerConnection extends RTCPeerConnectionEventTarget {
  #config: ResolvedConfiguration;
  readonly #driver: PeerDriver;
  readonly #certificate: RTCCertificate;
  readonly #signaling = new SignalingStateMachine();
  readonly #media: MediaSession;
  readonly #transports: TransportWiring;
  readonly #descriptions: LocalDescriptionFactory;
  #closed = false;
  readonly #chain = new OperationsChain(() => this.#closed);

  #lines: MLine[] = [];
  #stableLines: MLine[] = [];
  readonly #transceivers: RTCRtpTransceiver[] = [];
  #dataWanted = false;
  readonly #dataChannels = new DataChannelRegistry(
    this,
    () => this.#transports.dataSlot()!.io,
    () => this.#closed,
  );

  readonly #applied = new AppliedDescriptions();

  readonly #iceRestart = new IceRestartPlan();
  /** What the last answer decided about transports (RFC 9143); undefined before any. */
  #negotiated: NegotiatedTransports | undefined;
  readonly #negotiationNeeded = new NegotiationNeededEvent(
    this,
    this.#chain,
    () => !this.#closed && this.#signaling.state === 'stable',
    () => this.#isNegotiationNeeded(),
  );

  constructor(configuration: RTCConfiguration = {}) {
    super();
    const now = configuration.driver?.wallClock() ?? wallClock();
    this.#config = resolveConfiguration(configuration, now);
    this.#certificate = this.#config.certificates[0] ?? createCertificate('ECDSA', now);
    this.#driver = driverFor(this.#config);
    this.#media = new MediaSession(this.#driver, {
      transport: (mid) => this.#transports.slotFor(mid)?.transport,
      bundled: () => this.#transports.slots.length <= 1,
      flush: () => this.#transports.flush(),
      requestFlush: () => this.#transports.requestFlush(),
    });
    this.#transports = new TransportWiring({
      target: this,
      driver: this.#driver,
      certificate: this.#certificate,
      dataChannels: this.#dataChannels,
      media: this.#media,
      isClosed: () => this.#closed,
      config: () => this.#config,
      lines: () => this.#lines,
    });
    this.#descriptions = new LocalDescriptionFactory(this.#certificate, this.#transports, this.#iceRestart);
    if (this.#config.iceCandidatePoolSize > 0) this.#transports.gathering.prefetch(this.#config);
  }

  /** W3C 4.10.1: an ECDSA P-256 (default) or RSA certificate valid for 30 days. */
  static async generateCertificate(
    keygenAlgorithm: RTCCertificateKeygenAlgorithm = 'ECDSA',
  ): Promise<RTCCertificate> {
    return createCertificate(keygenAlgorithm, wallClock());
  }

  // ---- attributes ----

  get signalingState(): RTCSignalingState {
    return this.#signaling.state;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.#transports.gatheringState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#closed ? 'closed' : this.#transports.iceState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#closed ? 'closed' : this.#transports.connectionState;
  }
  get localDescription(): RTCSessionDescription | null {
    return this.#describe(this.#applied.local, true);
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return this.#describe(this.#applied.currentLocal, true);
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return this.#describe(this.#applied.pendingLocal, true);
  }
  get remoteDescription(): RTCSessionDescription | null {
    return this.#describe(this.#applied.remote, false);
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return this.#describe(this.#applied.currentRemote, false);
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return this.#describe(this.#applied.pendingRemote, false);
  }
  get canTrickleIceCandidates(): boolean | null {
    return this.#applied.canTrickle;
  }
  /**
   * The RTCSctpTransport's maxMessageSize (W3C 6.1.1): what send() accepts. Node only:
   * `packetSize`, the SCTP packet size data channels send with now (path MTU discovery's PLPMTU).
   */
  get sctp(): { maxMessageSize: number; state: string; packetSize: number } | null {
    const transport = this.#transports.dataSlot()?.transport;
    if (!transport?.sctp) return null;
    return {
      maxMessageSize: this.#dataChannels.remoteMaxMessageSize,
      state: transport.dtlsState === 'connected' ? 'connected' : 'connecting',
      packetSize: transport.sctp.association.pathMtu.current,
    };
  }

  // ---- configuration ----

  getConfiguration(): RTCConfiguration {
    return exposedConfiguration(this.#config);
  }

  setConfiguration(configuration: RTCConfiguration = {}): void {
    this.#assertOpen();
    const next = resolveConfiguration(configuration, this.#driver.wallClock());
    checkConfigurationChange(this.#config, next, configuration.certificates !== undefined);
    if (configuration.certificates === undefined) next.certificates = this.#config.certificates;
    next.driver = this.#config.driver;
    this.#config = next;
    if (next.iceCandidatePoolSize > 0 && !this.#transports.gathering.started)
      this.#transports.gathering.prefetch(next);
  }

  // ---- JSEP ----

  createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    return this.#chain.enqueue(() => {
      if (options.iceRestart) this.#iceRestart.wanted = true;
      this.#transports.ensure(true);
      for (const [kind, wanted] of [
        ['audio', options.offerToReceiveAudio],
        ['video', options.offerToReceiveVideo],
      ] as const) {
        if (wanted && !this.#transceivers.some((t) => t.kind === kind && !t.stopped)) {
          this.#addTransceiverInternal({ kind, direction: 'recvonly', track: null, streamIds: [] });
        }
      }
      return { type: 'offer' as const, sdp: this.#createOfferNow() };
    });
  }

  createAnswer(): Promise<RTCSessionDescriptionInit> {
    return this.#chain.enqueue(() => {
      const state = this.#signaling.state;
      if (state !== 'have-remote-offer' && state !== 'have-local-pranswer') {
        throw invalidStateError(`createAnswer in signaling state ${state}`);
      }
      return { type: 'answer' as const, sdp: this.#createAnswerNow() };
    });
  }

  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    return this.#chain.enqueue(async () => {
      let type = description?.type;
      let sdp = description?.sdp ?? '';
      if (type === 'rollback') {
        this.#rollback();
        return;
      }
      const state = this.#signaling.state;
      if (type === undefined) {
        type = state === 'have-remote-offer' || state === 'have-local-pranswer' ? 'answer' : 'offer';
      }
      if (sdp === '') {
        // W3C 4.4.1.5 (parameterless setLocalDescription): a description made now, for the
        // current state; an earlier created one may be stale after a rollback or renegotiation.
        sdp = type === 'offer' ? this.#createOfferNow() : this.#createAnswerNow();
      }
      const parsed = parseSdp(sdp);
      this.#signaling.peek('local', type);
      if (type === 'offer') this.#applyLocalOffer(parsed);
      else this.#applyLocalAnswer(parsed, type);
      const changed = this.#signaling.setLocal(type);
      this.#applied.appliedLocal({ type, sdp, parsed });
      this.#transports.startGathering();
      if (changed) safeDispatch(this, new Event('signalingstatechange'));
      if (this.#signaling.state === 'stable') this.#afterStable();
    });
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.#chain.enqueue(() => {
      if (description === null || typeof description !== 'object' || description.type === undefined) {
        throw new TypeError('setRemoteDescription needs a description with a type');
      }
      const { type } = description;
      if (type === 'rollback') {
        this.#rollback();
        return;
      }
      const sdp = description.sdp ?? '';
      const parsed = parseSdp(sdp);
      // W3C 4.4.1.5: syntax, then the signaling state, then the content.
      const implicitRollback = needsImplicitRollback(this.#signaling.state, 'remote', type);
      if (!implicitRollback) this.#signaling.peek('remote', type);
      checkRemoteContent(parsed, type, this.#applied.pendingLocal?.parsed, this.#config.bundlePolicy);
      const info = readRemoteTransport(parsed, type);
      if (implicitRollback) this.#rollback();
      if ((type === 'answer' || type === 'pranswer') && parsed.media.length !== this.#lines.length) {
        throw invalidAccessError('the answer does not have the offered m= sections');
      }
      // RFC 8445 6.1.1: facing a lite agent, the full agent controls even as the answerer.
      const controlling = info?.iceLite ?? false;
      this.#transports.ensure(controlling);
      if (type === 'offer') {
        this.#stableLines = this.#lines.map((l) => ({ ...l }));
        this.#lines = bindRemoteOffer(parsed, this.#lines, this.#transceivers, (kind) =>
          this.#addTransceiverInternal({ kind, direction: 'recvonly', track: null, streamIds: [] }, true),
        );
      }
      // RFC 9143: an offer's groups (or unbundled sections) get transports of their own; an
      // answer picks among those we offered (the answerer-tagged section's for a bundle).
      const groups = describedTransportGroups(parsed);
      this.#transports.layout(groups, controlling, type === 'offer');
      applyRemoteTransports(this.#transports, parsed, groups);
      const changed = this.#signaling.setRemote(type);
      this.#applied.appliedRemote({ type, sdp, parsed });
      if (type === 'answer') this.#completeNegotiation(parsed, 'remote');
      fireNewTracks(this, parsed, this.#lines);
      if (changed) safeDispatch(this, new Event('signalingstatechange'));
      if (this.#signaling.state === 'stable') this.#afterStable();
    });
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | RTCIceCandidate | null): Promise<void> {
    return this.#chain.enqueue(() => {
      const remote = this.#applied.remote;
      if (!remote) throw invalidStateError('addIceCandidate before setRemoteDescription');
      applyTrickledCandidate(candidate, remote, this.#transports, this.#lines);
    });
  }

  restartIce(): void {
    if (this.#closed) return;
    this.#iceRestart.wanted = true;
    this.#updateNegotiationNeeded();
  }

  // ---- data channels ----

  createDataChannel(label: string, init: RTCDataChannelInit = {}): RTCDataChannel {
    this.#assertOpen();
    const channel = new RTCDataChannel(String(label), init);
    if (channel.id !== null && this.#dataChannels.byId.has(channel.id)) {
      throw operationError(`a data channel with id ${channel.id} exists`);
    }
    this.#dataChannels.add(channel);
    const manager = this.#transports.dataSlot()?.transport.sctp;
    if (manager) this.#dataChannels.bind(manager, channel);
    const first = !this.#dataWanted;
    this.#dataWanted = true;
    if (first) this.#updateNegotiationNeeded();
    return channel;
  }

  // ---- media ----

  addTransceiver(
    trackOrKind: RtpTrack | 'audio' | 'video',
    init: RTCRtpTransceiverInit = {},
  ): RTCRtpTransceiver {
    this.#assertOpen();
    const t = this.#addTransceiverInternal(transceiverRequest(trackOrKind, init));
    this.#updateNegotiationNeeded();
    return t;
  }

  addTrack(track: RtpTrack, ...streams: MediaStream[]): RTCRtpSender {
    this.#assertOpen();
    const sender = addTrackTo(this.#transceivers, track, streams, (r) => this.#addTransceiverInternal(r));
    this.#updateNegotiationNeeded();
    return sender;
  }

  removeTrack(sender: RTCRtpSender): void {
    this.#assertOpen();
    if (removeTrackFrom(this.#transceivers, sender)) this.#updateNegotiationNeeded();
  }

  getTransceivers(): RTCRtpTransceiver[] {
    return [...this.#transceivers];
  }
  getSenders(): RTCRtpSender[] {
    return this.#transceivers.filter((t) => !t.stopped).map((t) => t.sender);
  }
  getReceivers(): RTCRtpReceiver[] {
    return this.#transceivers.filter((t) => !t.stopped).map((t) => t.receiver);
  }

  // ---- stats and lifetime ----

  async getStats(): Promise<RTCStatsReport> {
    return collectStats({
      timestamp: this.#driver.wallClock(),
      transport: this.#transports.transport,
      ...(this.#transports.slots.length > 1
        ? { transports: this.#transports.slots.map((x) => ({ transport: x.transport, mids: x.mids })) }
        : {}),
      certificate: this.#certificate,
      channels: [...this.#dataChannels.channels],
      dataChannelsOpened: this.#dataChannels.opened,
      dataChannelsClosed: this.#dataChannels.closed,
      transceivers: this.#transceivers,
      rtcp: this.#media.rtcp,
    });
  }

  /** W3C 4.4.1.? close(): everything stops at once; no state change events fire. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signaling.close();
    for (const t of this.#transceivers) t.markStopped();
    this.#dataChannels.closeAll();
    this.#transports.close();
  }

  // ---- internals ----

  #assertOpen(): void {
    if (this.#closed) throw invalidStateError('the RTCPeerConnection is closed');
  }

  #createOfferNow(): string {
    this.#transports.ensure(true);
    const lines = this.#linesForOffer();
    this.#transports.layout(offerGroups(this.#config.bundlePolicy, lines, this.#negotiated), true, true);
    return this.#descriptions.offer(lines, {
      pending: this.#applied.pendingRemote,
      current: this.#applied.currentRemote,
    });
  }

  #createAnswerNow(): string {
    const { pendingRemote, currentRemote } = this.#applied;
    if (!pendingRemote) throw invalidStateError('no remote offer to answer');
    return this.#descriptions.answer(this.#lines, { pending: pendingRemote, current: currentRemote });
  }

  #describe(applied: AppliedDescription | undefined, local: boolean): RTCSessionDescription | null {
    if (!applied) return null;
    if (!local) return new RTCSessionDescription({ type: applied.type, sdp: applied.sdp });
    return describeLocal(applied, this.#transports);
  }

  #linesForOffer(): MLine[] {
    return linesForOffer(this.#lines, this.#transceivers, this.#dataWanted);
  }

  #applyLocalOffer(parsed: SessionDescription): void {
    this.#stableLines = this.#lines.map((l) => ({ ...l }));
    this.#lines = markLocalRejections(this.#linesForOffer(), parsed, true);
    this.#transports.layout(
      offerGroups(this.#config.bundlePolicy, this.#lines, this.#negotiated),
      true,
      true,
    );
    this.#negotiationNeeded.clear();
    this.#applyLocalCredentials(parsed);
  }

  #applyLocalAnswer(parsed: SessionDescription, type: RTCSdpType): void {
    markLocalRejections(this.#lines, parsed, false);
    this.#applyLocalCredentials(parsed);
    if (type === 'answer') this.#completeNegotiation(parsed, 'local');
  }

  /** An ICE restart takes effect when the description carrying the new ufrag is applied. */
  #applyLocalCredentials(parsed: SessionDescription): void {
    for (const slot of this.#transports.slots) {
      const agentUfrag = slot.transport.ice.localCredentials.ufrag;
      const creds = this.#iceRestart.appliedFor(slot.id, appliedUfrag(parsed, slot), agentUfrag);
      if (creds) this.#transports.restartIce(slot, creds);
    }
    this.#iceRestart.spent();
  }

  /**
   * Both descriptions are known (the answer was just applied on either side): media directions,
   * DTLS with its role from a=setup, and SCTP when a data section survived.
   */
  #completeNegotiation(answer: SessionDescription, answerSide: 'local' | 'remote'): void {
    const remote = answerSide === 'remote' ? answer : this.#applied.remoteParsed;
    this.#media.applyAnswer(answer, answerSide, this.#lines, remote);
    if (!remote) return;
    const negotiated = negotiatedTransports(answer);
    // Our own answer may have rejected sections or dropped some from a group.
    if (answerSide === 'local') this.#transports.layout(negotiated.groups, false, false);
    startSecureTransports(this.#transports, answer, answerSide, remote, this.#lines);
    this.#transports.prune();
    this.#negotiated = negotiated;
  }

  #rollback(): void {
    const state = this.#signaling.state;
    if (state !== 'have-local-offer' && state !== 'have-remote-offer') {
      throw invalidStateError(`cannot roll back in state ${state}`);
    }
    this.#lines = rollbackLines(
      state === 'have-remote-offer' ? 'remote-offer' : 'local-offer',
      this.#lines,
      this.#stableLines,
      this.#transceivers,
    );
    this.#applied.dropPending();
    this.#iceRestart.forgetPending();
    // Transports made for the rolled-back offer go; the negotiated ones stay as they were.
    if (this.#negotiated) {
      this.#transports.layout(this.#negotiated.groups, false, false);
      this.#transports.prune();
    }
    this.#signaling.apply('local', 'rollback');
    safeDispatch(this, new Event('signalingstatechange'));
    this.#afterStable();
  }

  #afterStable(): void {
    this.#stableLines = this.#lines.map((l) => ({ ...l }));
    this.#updateNegotiationNeeded();
  }

  // ---- internals: negotiation-needed (W3C 4.7.3, simplified) ----

  #isNegotiationNeeded(): boolean {
    return isNegotiationNeeded({
      iceRestartWanted: this.#iceRestart.wanted,
      dataWanted: this.#dataWanted,
      lines: this.#lines,
      transceivers: this.#transceivers,
    });
  }

  #updateNegotiationNeeded(): void {
    this.#negotiationNeeded.update();
  }

  #addTransceiverInternal(request: TransceiverRequest, createdByRemote = false): RTCRtpTransceiver {
    const { kind, direction, track, streamIds } = request;
    const t = this.#media.createTransceiver(kind, direction, track, streamIds, () =>
      this.#updateNegotiationNeeded(),
    );
    t.createdByRemote = createdByRemote;
    if (request.simulcastReceive) t.setSimulcastReceive(request.simulcastReceive);
    this.#transceivers.push(t);
    return t;
  }
}

export type { RTCRtpTransceiverInit } from './track-operations.js';
