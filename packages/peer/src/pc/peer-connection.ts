import { randomBytes } from 'node:crypto';
import { debuglog } from 'node:util';
import type { LocalCandidate, LocalCandidateInput } from '@purertc/ice';
import type { GatherError, PeerDriver } from '../driver/driver.js';
import { invalidAccessError, invalidStateError, operationError } from '../errors.js';
import { wallClock } from '../node/clock.js';
import { NodeDriver } from '../node/node-driver.js';
import { type RtcpSection, RtcpSession } from '../rtp/rtcp-session.js';
import { formatCandidateValue, parseCandidate } from '../sdp/candidate.js';
import type { SdpCandidate, SessionDescription } from '../sdp/model.js';
import { parseSdp } from '../sdp/parse.js';
import { SdpParseError } from '../sdp/parse-error.js';
import { getAttribute, getAttributes } from '../sdp/query.js';
import { serializeSdp } from '../sdp/serialize.js';
import {
  needsImplicitRollback,
  type RTCSdpType,
  type RTCSignalingState,
  SignalingStateMachine,
} from '../sdp/signaling-state.js';
import { verifyDescription } from '../sdp/validate.js';
import { PeerTransport, type PeerTransportEvent } from '../transport/peer-transport.js';
import {
  aggregateConnectionState,
  type RTCIceConnectionState,
  type RTCIceGatheringState,
  type RTCPeerConnectionState,
} from '../transport/states.js';
import { createCertificate, type RTCCertificate, type RTCCertificateKeygenAlgorithm } from './certificate.js';
import {
  checkConfigurationChange,
  flattenIceServers,
  type ResolvedConfiguration,
  type RTCConfiguration,
  resolveConfiguration,
} from './configuration.js';
import { RTCDataChannel, type RTCDataChannelInit } from './data-channel.js';
import { DataChannelRegistry } from './data-channel-registry.js';
import { safeDispatch } from './event-handlers.js';
import { RTCPeerConnectionIceErrorEvent, RTCPeerConnectionIceEvent, RTCTrackEvent } from './events.js';
import { RTCIceCandidate, type RTCIceCandidateInit } from './ice-candidate.js';
import { buildAnswer, buildOffer } from './jsep/build-local.js';
import { type MLine, nextMid } from './jsep/m-line.js';
import {
  applyNegotiatedMedia,
  bindRemoteOffer,
  type MediaRouting,
  routeRtp,
  takeNewRemoteTracks,
} from './jsep/media-negotiation.js';
import { isNegotiationNeeded } from './jsep/negotiation-needed.js';
import { readRemoteTransport } from './jsep/read-remote.js';
import type { RTCRtpReceiver } from './media/receiver.js';
import { RTCRtpSender } from './media/sender.js';
import type { MediaStream, RtpTrack } from './media/track.js';
import { RTCRtpTransceiver, type RTCRtpTransceiverDirection } from './media/transceiver.js';
import { RTCPeerConnectionEventTarget } from './peer-connection-events.js';
import {
  appendCandidate,
  randomIce,
  sdpCandidateOf,
  ufragOf,
  withGatheredCandidates,
} from './sdp-helpers.js';
import { RTCSessionDescription, type RTCSessionDescriptionInit } from './session-description.js';
import { collectStats, type RTCStatsReport } from './stats.js';
import { TransportIo } from './transport-io.js';

const log = debuglog('purertc:peer');

/** Our a=max-message-size: what we accept (Chrome's value). */
const LOCAL_MAX_MESSAGE_SIZE = 262144;

/** Candidates the driver found before the transport existed (iceCandidatePoolSize). */
interface CandidatePool {
  candidates: LocalCandidateInput[];
  errors: GatherError[];
  done: Promise<void>;
  sink?: { candidate(c: LocalCandidateInput): void; error(e: GatherError): void };
}

interface AppliedDescription {
  type: RTCSdpType;
  sdp: string;
  parsed: SessionDescription;
}

export interface RTCOfferOptions {
  iceRestart?: boolean;
  offerToReceiveAudio?: boolean;
  offerToReceiveVideo?: boolean;
}

export interface RTCRtpTransceiverInit {
  direction?: RTCRtpTransceiverDirection;
  streams?: MediaStream[];
}

/**
 * W3C webrtc-pc RTCPeerConnection for Node: one bundle transport (ICE + DTLS + SRTP + SCTP) on
 * UDP sockets (or the configured driver), JSEP (RFC 9429) over the SDP package.
 */
export class RTCPeerConnection extends RTCPeerConnectionEventTarget {
  #config: ResolvedConfiguration;
  readonly #driver: PeerDriver;
  readonly #certificate: RTCCertificate;
  readonly #signaling = new SignalingStateMachine();
  readonly #cname = randomBytes(12).toString('base64url');
  readonly #rtcp = new RtcpSession(this.#cname, randomBytes(4).readUInt32BE(0));
  readonly #rtcpSections = new Map<RTCRtpTransceiver, RtcpSection>();
  readonly #sessionId = (randomBytes(8).readBigUInt64BE(0) >> 2n).toString();
  #sessionVersion = 1;
  #io: TransportIo | undefined;
  #closed = false;
  #chain: Promise<unknown> = Promise.resolve();

  #lines: MLine[] = [];
  #stableLines: MLine[] = [];
  readonly #transceivers: RTCRtpTransceiver[] = [];
  #dataWanted = false;
  readonly #dataChannels = new DataChannelRegistry(
    this,
    () => this.#io!,
    () => this.#closed,
  );
  readonly #routing: MediaRouting = { bySsrc: new Map(), byMid: new Map() };

  #currentLocal: AppliedDescription | undefined;
  #pendingLocal: AppliedDescription | undefined;
  #currentRemote: AppliedDescription | undefined;
  #pendingRemote: AppliedDescription | undefined;
  #lastOffer = '';
  #lastAnswer = '';

  #iceRestartWanted = false;
  #offerCredentials: { ufrag: string; pwd: string } | undefined;
  #gatherStarted = false;
  #gatheringState: RTCIceGatheringState = 'new';
  #localCandidates: SdpCandidate[] = [];
  #iceState: RTCIceConnectionState = 'new';
  #connectionState: RTCPeerConnectionState = 'new';
  #negotiationNeeded = false;
  #negotiationQueued = false;

  constructor(configuration: RTCConfiguration = {}) {
    super();
    const now = configuration.driver?.wallClock() ?? wallClock();
    this.#config = resolveConfiguration(configuration, now);
    this.#certificate = this.#config.certificates[0] ?? createCertificate('ECDSA', now);
    this.#driver =
      this.#config.driver ??
      new NodeDriver({
        ...(this.#config.bindAddresses ? { addresses: this.#config.bindAddresses } : {}),
        ...(this.#config.portRange ? { portRange: this.#config.portRange } : {}),
        ...(this.#config.includeLoopback !== undefined ? { loopback: this.#config.includeLoopback } : {}),
        ...(this.#config.socketBufferSize !== undefined
          ? { socketBufferSize: this.#config.socketBufferSize }
          : {}),
      });
    if (this.#config.iceCandidatePoolSize > 0) this.#prefetch();
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
    return this.#gatheringState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#closed ? 'closed' : this.#iceState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#closed ? 'closed' : this.#connectionState;
  }
  get localDescription(): RTCSessionDescription | null {
    return this.#describe(this.#pendingLocal ?? this.#currentLocal, true);
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return this.#describe(this.#currentLocal, true);
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return this.#describe(this.#pendingLocal, true);
  }
  get remoteDescription(): RTCSessionDescription | null {
    return this.#describe(this.#pendingRemote ?? this.#currentRemote, false);
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return this.#describe(this.#currentRemote, false);
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return this.#describe(this.#pendingRemote, false);
  }
  get canTrickleIceCandidates(): boolean | null {
    const remote = this.#pendingRemote ?? this.#currentRemote;
    if (!remote) return null;
    return /a=ice-options:[^\r\n]*trickle/.test(remote.sdp);
  }
  /** The RTCSctpTransport's maxMessageSize (W3C 6.1.1): what send() accepts. */
  get sctp(): { maxMessageSize: number; state: string } | null {
    const manager = this.#io?.transport.sctp;
    if (!manager) return null;
    return {
      maxMessageSize: this.#dataChannels.remoteMaxMessageSize,
      state: this.#io?.transport.dtlsState === 'connected' ? 'connected' : 'connecting',
    };
  }

  // ---- configuration ----

  getConfiguration(): RTCConfiguration {
    const c = this.#config;
    return {
      iceServers: c.iceServers.map((s) => ({ ...s })),
      iceTransportPolicy: c.iceTransportPolicy,
      bundlePolicy: c.bundlePolicy,
      rtcpMuxPolicy: c.rtcpMuxPolicy,
      certificates: [...c.certificates],
      iceCandidatePoolSize: c.iceCandidatePoolSize,
      ...(c.bindAddresses ? { bindAddresses: [...c.bindAddresses] } : {}),
      ...(c.portRange ? { portRange: { ...c.portRange } } : {}),
    };
  }

  setConfiguration(configuration: RTCConfiguration = {}): void {
    this.#assertOpen();
    const next = resolveConfiguration(configuration, this.#driver.wallClock());
    checkConfigurationChange(this.#config, next, configuration.certificates !== undefined);
    if (configuration.certificates === undefined) next.certificates = this.#config.certificates;
    next.driver = this.#config.driver;
    this.#config = next;
    if (next.iceCandidatePoolSize > 0 && !this.#gatherStarted) this.#prefetch();
  }

  // ---- JSEP ----

  createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    return this.#enqueue(() => {
      if (options.iceRestart) this.#iceRestartWanted = true;
      this.#ensureTransport(true);
      for (const [kind, wanted] of [
        ['audio', options.offerToReceiveAudio],
        ['video', options.offerToReceiveVideo],
      ] as const) {
        if (wanted && !this.#transceivers.some((t) => t.kind === kind && !t.stopped)) {
          this.#addTransceiverInternal(kind, 'recvonly', null, []);
        }
      }
      const lines = this.#linesForOffer();
      const transport = this.#localTransportParameters(true);
      const parsed = buildOffer(lines, this.#descriptionContext(transport));
      const sdp = serializeSdp(parsed);
      this.#lastOffer = sdp;
      return { type: 'offer' as const, sdp };
    });
  }

  createAnswer(): Promise<RTCSessionDescriptionInit> {
    return this.#enqueue(() => {
      const state = this.#signaling.state;
      if (state !== 'have-remote-offer' && state !== 'have-local-pranswer') {
        throw invalidStateError(`createAnswer in signaling state ${state}`);
      }
      const remote = this.#pendingRemote!;
      const transport = this.#localTransportParameters(false);
      const setup = this.#answerSetupRole(remote.parsed);
      const parsed = buildAnswer(remote.parsed, this.#lines, this.#descriptionContext(transport), setup);
      const sdp = serializeSdp(parsed);
      this.#lastAnswer = sdp;
      return { type: 'answer' as const, sdp };
    });
  }

  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    return this.#enqueue(async () => {
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
        sdp = type === 'offer' ? await this.#createOfferNow() : await this.#createAnswerNow();
      }
      const parsed = parseSdp(sdp);
      this.#signaling.peek('local', type);
      if (type === 'offer') this.#applyLocalOffer(parsed);
      else this.#applyLocalAnswer(parsed, type);
      const changed = this.#signaling.setLocal(type);
      const applied = { type, sdp, parsed };
      if (type === 'offer') this.#pendingLocal = applied;
      else if (type === 'pranswer') this.#pendingLocal = applied;
      else {
        this.#currentLocal = applied;
        this.#currentRemote = this.#pendingRemote;
        this.#pendingLocal = undefined;
        this.#pendingRemote = undefined;
      }
      if (!this.#gatherStarted) this.#startGathering();
      if (changed) safeDispatch(this, new Event('signalingstatechange'));
      if (this.#signaling.state === 'stable') this.#afterStable();
    });
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.#enqueue(() => {
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
      // RFC 9429 5.8 content checks (InvalidAccessError), against our offer for an answer.
      verifyDescription(parsed, {
        type,
        ...(type !== 'offer' && this.#pendingLocal ? { offer: this.#pendingLocal.parsed } : {}),
      });
      const info = readRemoteTransport(parsed, type);
      if (implicitRollback) this.#rollback();
      if ((type === 'answer' || type === 'pranswer') && parsed.media.length !== this.#lines.length) {
        throw invalidAccessError('the answer does not have the offered m= sections');
      }
      // RFC 8445 6.1.1: facing a lite agent, the full agent controls even as the answerer.
      const transport = this.#ensureTransport(info?.iceLite ?? false);
      if (type === 'offer') {
        this.#stableLines = this.#lines.map((l) => ({ ...l }));
        this.#lines = bindRemoteOffer(parsed, this.#lines, this.#transceivers, (kind) =>
          this.#addTransceiverInternal(kind, 'recvonly', null, [], true),
        );
      }
      if (info) {
        this.#io!.run((now) => {
          transport.ice.setRemoteCredentials({ ufrag: info.ufrag, pwd: info.pwd });
          for (const c of info.candidates) transport.addRemoteCandidate(c);
          if (info.endOfCandidates) transport.ice.endOfRemoteCandidates();
          void now;
        });
      }
      const changed = this.#signaling.setRemote(type);
      const applied = { type, sdp, parsed };
      if (type === 'offer' || type === 'pranswer') this.#pendingRemote = applied;
      else {
        this.#currentRemote = applied;
        this.#currentLocal = this.#pendingLocal;
        this.#pendingLocal = undefined;
        this.#pendingRemote = undefined;
        this.#completeNegotiation(parsed, 'remote', info);
      }
      this.#fireTracks(parsed);
      if (changed) safeDispatch(this, new Event('signalingstatechange'));
      if (this.#signaling.state === 'stable') this.#afterStable();
    });
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | RTCIceCandidate | null): Promise<void> {
    return this.#enqueue(() => {
      const remote = this.#pendingRemote ?? this.#currentRemote;
      if (!remote) throw invalidStateError('addIceCandidate before setRemoteDescription');
      const transport = this.#io?.transport;
      const text = candidate?.candidate ?? '';
      if (text === '') {
        // W3C 4.4.1.? / RFC 8838 13: an empty candidate signals the end of candidates.
        this.#io?.run(() => transport?.ice.endOfRemoteCandidates());
        return;
      }
      const sdpMid = candidate?.sdpMid ?? null;
      const sdpMLineIndex = candidate?.sdpMLineIndex ?? null;
      if (sdpMid === null && sdpMLineIndex === null)
        throw new TypeError('sdpMid and sdpMLineIndex are both null');
      if (
        sdpMid !== null &&
        !remote.parsed.media.some((m) => m.attributes.some((a) => a.type === 'mid' && a.value === sdpMid))
      ) {
        throw operationError(`no m= section with mid ${sdpMid}`);
      }
      if (sdpMid === null && sdpMLineIndex !== null && sdpMLineIndex >= remote.parsed.media.length) {
        throw operationError(`no m= section at index ${sdpMLineIndex}`);
      }
      let parsedCandidate: SdpCandidate;
      try {
        parsedCandidate = parseCandidate(text);
      } catch (e) {
        if (e instanceof SdpParseError) throw operationError(`the candidate cannot be parsed: ${e.reason}`);
        throw e;
      }
      const ufrag = candidate?.usernameFragment ?? parsedCandidate.ufrag;
      const current = ufragOf(remote.sdp);
      if (ufrag && current && ufrag !== current)
        throw operationError('the candidate belongs to another ICE generation');
      this.#io?.run(() => transport?.addRemoteCandidate(text.startsWith('a=') ? text.slice(2) : text));
      remote.sdp = appendCandidate(remote.sdp, text, sdpMid);
    });
  }

  restartIce(): void {
    if (this.#closed) return;
    this.#iceRestartWanted = true;
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
    const manager = this.#io?.transport.sctp;
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
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`invalid kind ${String(kind)}`);
    const direction = init.direction ?? 'sendrecv';
    if (direction === 'stopped') throw new TypeError('a new transceiver cannot be stopped');
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const t = this.#addTransceiverInternal(
      kind,
      direction,
      track,
      (init.streams ?? []).map((s) => s.id),
    );
    this.#updateNegotiationNeeded();
    return t;
  }

  addTrack(track: RtpTrack, ...streams: MediaStream[]): RTCRtpSender {
    this.#assertOpen();
    if (this.#transceivers.some((t) => t.sender.track === track))
      throw invalidAccessError('the track is already added');
    // W3C 5.1 addTrack: reuse a transceiver whose sender never sent, else create one.
    const reusable = this.#transceivers.find(
      (t) => !t.stopped && t.kind === track.kind && t.sender.track === null && !t.usedToSend,
    );
    if (reusable) {
      void reusable.sender.replaceTrack(track);
      reusable.sender.setStreams(...streams);
      if (reusable.direction === 'recvonly') reusable.direction = 'sendrecv';
      else if (reusable.direction === 'inactive') reusable.direction = 'sendonly';
      this.#updateNegotiationNeeded();
      return reusable.sender;
    }
    const t = this.#addTransceiverInternal(
      track.kind,
      'sendrecv',
      track,
      streams.map((s) => s.id),
    );
    this.#updateNegotiationNeeded();
    return t.sender;
  }

  removeTrack(sender: RTCRtpSender): void {
    this.#assertOpen();
    const t = this.#transceivers.find((x) => x.sender === sender);
    if (!t) throw invalidAccessError('the sender does not belong to this connection');
    if (t.stopped || sender.track === null) return;
    void sender.replaceTrack(null);
    if (t.direction === 'sendrecv') t.direction = 'recvonly';
    else if (t.direction === 'sendonly') t.direction = 'inactive';
    this.#updateNegotiationNeeded();
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
      transport: this.#io?.transport,
      certificate: this.#certificate,
      channels: [...this.#dataChannels.channels],
      dataChannelsOpened: this.#dataChannels.opened,
      dataChannelsClosed: this.#dataChannels.closed,
      transceivers: this.#transceivers,
      rtcp: this.#rtcp,
    });
  }

  /** W3C 4.4.1.? close(): everything stops at once; no state change events fire. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signaling.close();
    for (const t of this.#transceivers) t.markStopped();
    this.#dataChannels.closeAll();
    if (this.#io) this.#io.close();
    else this.#driver.close();
  }

  // ---- internals: operations chain ----

  #enqueue<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(invalidStateError('the RTCPeerConnection is closed'));
    const run = async (): Promise<T> => {
      if (this.#closed) throw invalidStateError('the RTCPeerConnection is closed');
      return fn();
    };
    const result = this.#chain.then(run, run);
    this.#chain = result.catch(() => undefined);
    return result;
  }

  #assertOpen(): void {
    if (this.#closed) throw invalidStateError('the RTCPeerConnection is closed');
  }

  async #createOfferNow(): Promise<string> {
    this.#ensureTransport(true);
    const parsed = buildOffer(
      this.#linesForOffer(),
      this.#descriptionContext(this.#localTransportParameters(true)),
    );
    this.#lastOffer = serializeSdp(parsed);
    return this.#lastOffer;
  }

  async #createAnswerNow(): Promise<string> {
    const remote = this.#pendingRemote;
    if (!remote) throw invalidStateError('no remote offer to answer');
    const parsed = buildAnswer(
      remote.parsed,
      this.#lines,
      this.#descriptionContext(this.#localTransportParameters(false)),
      this.#answerSetupRole(remote.parsed),
    );
    this.#lastAnswer = serializeSdp(parsed);
    return this.#lastAnswer;
  }

  // ---- internals: descriptions ----

  #describe(applied: AppliedDescription | undefined, local: boolean): RTCSessionDescription | null {
    if (!applied) return null;
    if (!local) return new RTCSessionDescription({ type: applied.type, sdp: applied.sdp });
    const parsed = withGatheredCandidates(
      applied.parsed,
      this.#localCandidates,
      this.#gatheringState === 'complete',
    );
    return new RTCSessionDescription({ type: applied.type, sdp: serializeSdp(parsed) });
  }

  #descriptionContext(transport: {
    ufrag: string;
    pwd: string;
    fingerprints: { algorithm: string; value: string }[];
  }) {
    return {
      sessionId: this.#sessionId,
      sessionVersion: this.#sessionVersion++,
      transport,
      candidates: [],
      endOfCandidates: false,
      maxMessageSize: LOCAL_MAX_MESSAGE_SIZE,
    };
  }

  #localTransportParameters(offer: boolean): {
    ufrag: string;
    pwd: string;
    fingerprints: { algorithm: string; value: string }[];
  } {
    const transport = this.#io!.transport;
    let creds = transport.ice.localCredentials;
    const remote = this.#pendingRemote;
    const remoteRestarted =
      !offer &&
      remote !== undefined &&
      this.#currentRemote !== undefined &&
      ufragOf(remote.sdp) !== ufragOf(this.#currentRemote.sdp);
    if ((offer && this.#iceRestartWanted) || remoteRestarted) {
      // RFC 8445 9 / RFC 9429 5.2.1: new credentials, applied when this description is set.
      this.#offerCredentials ??= { ufrag: randomIce(8), pwd: randomIce(24) };
      creds = this.#offerCredentials;
    }
    const fingerprints = this.#certificate.dtls
      .getFingerprints(['sha-256'])
      .map((f) => ({ algorithm: f.algorithm, value: f.value }));
    return { ufrag: creds.ufrag, pwd: creds.pwd, fingerprints };
  }

  /** RFC 8842 5.3: active when the offer allows it, except that an existing DTLS role is kept. */
  #answerSetupRole(remote: SessionDescription): 'active' | 'passive' {
    const role = this.#io?.transport.dtlsRole;
    if (role === 'client') return 'active';
    if (role === 'server') return 'passive';
    const info = readRemoteTransport(remote, 'offer');
    return info?.setup === 'active' ? 'passive' : 'active';
  }

  #linesForOffer(): MLine[] {
    const lines = this.#lines.map((l) => ({ ...l }));
    for (const t of this.#transceivers) {
      if (t.stopped || lines.some((l) => l.transceiver === t)) continue;
      // RFC 9429 5.2.2: a rejected section of the same kind may be recycled.
      const mid =
        t.mid ?? nextMid(lines.map((l) => l.mid).concat(this.#transceivers.map((x) => x.mid ?? '')));
      t.setMid(mid);
      lines.push({ mid, kind: t.kind, transceiver: t, rejected: false });
    }
    if (this.#dataWanted && !lines.some((l) => l.data && !l.rejected)) {
      lines.push({ mid: nextMid(lines.map((l) => l.mid)), kind: 'application', data: true, rejected: false });
    }
    return lines;
  }

  #applyLocalOffer(parsed: SessionDescription): void {
    this.#stableLines = this.#lines.map((l) => ({ ...l }));
    const lines = this.#linesForOffer();
    // The applied offer decides which sections exist (an application may have removed some).
    this.#lines = lines.slice(0, parsed.media.length);
    for (const [i, m] of parsed.media.entries()) {
      const line = this.#lines[i];
      if (line)
        line.rejected =
          m.port === 0 && !m.attributes.some((a) => a.type === 'generic' && a.key === 'bundle-only');
    }
    this.#negotiationNeeded = false;
    this.#applyLocalCredentials(parsed);
  }

  #applyLocalAnswer(parsed: SessionDescription, type: RTCSdpType): void {
    for (const [i, m] of parsed.media.entries()) {
      const line = this.#lines[i];
      if (line && m.port === 0) line.rejected = true;
    }
    this.#applyLocalCredentials(parsed);
    if (type === 'answer')
      this.#completeNegotiation(parsed, 'local', readRemoteTransport(this.#pendingRemote!.parsed, 'offer'));
  }

  /** An ICE restart takes effect when the description carrying the new ufrag is applied. */
  #applyLocalCredentials(parsed: SessionDescription): void {
    const transport = this.#io!.transport;
    const ufrag = ufragOf(serializeSdp(parsed));
    const creds = this.#offerCredentials;
    if (creds && ufrag === creds.ufrag && transport.ice.localCredentials.ufrag !== creds.ufrag) {
      this.#localCandidates = [];
      this.#setGatheringState('gathering');
      this.#io!.run((now) => {
        transport.restartIce(creds, now);
        if (this.#gatherStarted && this.#gatheringDone) transport.ice.endOfLocalCandidates();
      });
    }
    this.#offerCredentials = undefined;
    this.#iceRestartWanted = false;
  }

  #gatheringDone = false;
  #pool: CandidatePool | undefined;

  /**
   * Both descriptions are known (the answer was just applied on either side): media directions,
   * DTLS with its role from a=setup, and SCTP when a data section survived.
   */
  #completeNegotiation(
    answer: SessionDescription,
    answerSide: 'local' | 'remote',
    remoteOffer?: ReturnType<typeof readRemoteTransport>,
  ): void {
    const remote =
      answerSide === 'remote' ? answer : (this.#currentRemote?.parsed ?? this.#pendingRemote?.parsed);
    const transport = this.#io!.transport;
    const remoteInfo = answerSide === 'remote' ? readRemoteTransport(answer, 'answer') : remoteOffer;
    applyNegotiatedMedia(
      answer,
      answerSide,
      this.#lines,
      this.#routing,
      (packet) => {
        const ok = transport.sendRtp(packet);
        if (ok) this.#rtcp.onRtpSent(packet, this.#driver.now());
        this.#io?.flush();
        return ok;
      },
      remote,
    );
    // RFC 5506 / RFC 8843: reduced-size RTCP once the answer accepts a=rtcp-rsize.
    this.#rtcp.reducedSize = answer.media.some((m) => getAttribute(m, 'rtcp-rsize') !== undefined);
    // RFC 4588 8.1: the remote's ssrc-group FID ties each RTX SSRC to its media SSRC.
    for (const m of remote?.media ?? []) {
      for (const g of getAttributes(m, 'ssrc-group')) {
        if (g.semantics === 'FID' && g.ssrcs.length === 2) this.#rtcp.setRtxPair(g.ssrcs[1]!, g.ssrcs[0]!);
      }
    }
    this.#rtcp.setSections(
      this.#lines.flatMap((l) => (l.transceiver && !l.rejected ? [this.#rtcpSection(l.transceiver)] : [])),
    );
    if (!remoteInfo) return;
    const ourSetup =
      answerSide === 'local'
        ? readRemoteTransport(answer, 'answer')?.setup
        : remoteInfo.setup === 'active'
          ? 'passive'
          : 'active';
    const role = ourSetup === 'active' ? 'client' : 'server';
    const dataLine = this.#lines.find((l) => l.data);
    const dataIndex = dataLine ? this.#lines.indexOf(dataLine) : -1;
    const dataAccepted = dataIndex >= 0 && (answer.media[dataIndex]?.port ?? 0) !== 0;
    this.#io!.run((now) => {
      transport.startDtls(role, remoteInfo.fingerprints, now);
      if (dataAccepted && remoteInfo.sctp) {
        this.#dataChannels.remoteMaxMessageSize = remoteInfo.sctp.maxMessageSize;
        const manager = transport.startSctp(
          {
            localPort: 5000,
            remotePort: remoteInfo.sctp.port,
            maxMessageSize: Math.min(remoteInfo.sctp.maxMessageSize, 0x7fffffff),
          },
          now,
        );
        if (manager) for (const ch of this.#dataChannels.unbound()) this.#dataChannels.bind(manager, ch);
      }
    });
  }

  #fireTracks(remote: SessionDescription): void {
    for (const { transceiver: t, streams } of takeNewRemoteTracks(remote, this.#lines)) {
      safeDispatch(
        this,
        new RTCTrackEvent('track', {
          receiver: t.receiver,
          track: t.receiver.track,
          streams,
          transceiver: t,
        }),
      );
    }
  }

  #rollback(): void {
    const state = this.#signaling.state;
    if (state !== 'have-local-offer' && state !== 'have-remote-offer') {
      throw invalidStateError(`cannot roll back in state ${state}`);
    }
    // RFC 9429 5.7: back to the last stable state; transceivers the remote offer created go away.
    if (state === 'have-remote-offer') {
      for (const line of this.#lines) {
        const t = line.transceiver;
        if (t && !this.#stableLines.some((l) => l.transceiver === t) && t.createdByRemote) {
          const i = this.#transceivers.indexOf(t);
          if (i >= 0) this.#transceivers.splice(i, 1);
        } else if (t && !this.#stableLines.some((l) => l.transceiver === t)) t.setMid(null);
      }
    } else {
      for (const line of this.#lines) {
        const t = line.transceiver;
        if (t && !this.#stableLines.some((l) => l.transceiver === t)) t.setMid(null);
      }
    }
    this.#lines = this.#stableLines.map((l) => ({ ...l }));
    this.#pendingLocal = undefined;
    this.#pendingRemote = undefined;
    this.#offerCredentials = undefined;
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
      iceRestartWanted: this.#iceRestartWanted,
      dataWanted: this.#dataWanted,
      lines: this.#lines,
      transceivers: this.#transceivers,
    });
  }

  #updateNegotiationNeeded(): void {
    if (this.#closed || this.#signaling.state !== 'stable') return;
    if (!this.#isNegotiationNeeded()) {
      this.#negotiationNeeded = false;
      return;
    }
    if (this.#negotiationNeeded || this.#negotiationQueued) return;
    this.#negotiationQueued = true;
    queueMicrotask(() => {
      void this.#chain.then(() => {
        this.#negotiationQueued = false;
        if (this.#closed || this.#signaling.state !== 'stable' || !this.#isNegotiationNeeded()) return;
        this.#negotiationNeeded = true;
        safeDispatch(this, new Event('negotiationneeded'));
      });
    });
  }

  // ---- internals: transport ----

  #ensureTransport(controlling: boolean): PeerTransport {
    if (this.#io) return this.#io.transport;
    const transport = new PeerTransport({
      certificate: this.#certificate.dtls,
      controlling,
      relayOnly: this.#config.iceTransportPolicy === 'relay',
    });
    this.#io = new TransportIo(this.#driver, transport, (e) => this.#onTransportEvent(e));
    this.#io.timers = {
      nextDeadline: () => this.#rtcp.nextDeadline(),
      handleTimeout: (now) => {
        this.#rtcp.handleTimeout(now, this.#driver.wallClock());
        this.#drainRtcp();
      },
    };
    return transport;
  }

  #startGathering(): void {
    const io = this.#io;
    if (!io || this.#gatherStarted) return;
    this.#gatherStarted = true;
    this.#setGatheringState('gathering');
    const transport = io.transport;
    const pool = this.#prefetch();
    pool.sink = {
      candidate: (candidate) => {
        if (!this.#closed) io.run(() => transport.addLocalCandidate(candidate));
      },
      error: (error) => {
        if (!this.#closed) safeDispatch(this, new RTCPeerConnectionIceErrorEvent('icecandidateerror', error));
      },
    };
    for (const c of pool.candidates.splice(0)) pool.sink.candidate(c);
    for (const e of pool.errors.splice(0)) pool.sink.error(e);
    void pool.done.then(() => {
      if (this.#closed) return;
      this.#gatheringDone = true;
      io.run(() => transport.ice.endOfLocalCandidates());
    });
  }

  /**
   * W3C 4.4.1.6 iceCandidatePoolSize: gathering may begin before any description. The driver
   * gathers once; what it finds waits here until the transport exists.
   */
  #prefetch(): CandidatePool {
    if (this.#pool) return this.#pool;
    const pool: CandidatePool = { candidates: [], errors: [], done: Promise.resolve() };
    pool.done = this.#driver
      .gather(
        {
          iceServers: flattenIceServers(this.#config.iceServers),
          relayOnly: this.#config.iceTransportPolicy === 'relay',
        },
        (candidate) => (pool.sink ? pool.sink.candidate(candidate) : pool.candidates.push(candidate)),
        (error) => (pool.sink ? pool.sink.error(error) : pool.errors.push(error)),
      )
      .catch((e: unknown) => log('gathering failed: %s', String(e)));
    this.#pool = pool;
    return pool;
  }

  #setGatheringState(state: RTCIceGatheringState): void {
    if (this.#gatheringState === state) return;
    this.#gatheringState = state;
    safeDispatch(this, new Event('icegatheringstatechange'));
  }

  #onTransportEvent(e: PeerTransportEvent): void {
    if (this.#closed) return;
    switch (e.type) {
      case 'local-candidate':
        this.#onLocalCandidate(e.candidate);
        break;
      case 'local-candidates-complete':
        this.#setGatheringState('complete');
        safeDispatch(this, new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
        break;
      case 'ice-state':
        if (e.state !== this.#iceState && e.state !== 'closed') {
          this.#iceState = e.state;
          safeDispatch(this, new Event('iceconnectionstatechange'));
        }
        this.#updateConnectionState();
        break;
      case 'dtls-state':
        this.#updateConnectionState();
        break;
      case 'datachannel':
        this.#dataChannels.handleEvent(e.event);
        break;
      case 'rtp':
        this.#routeRtp(e.packet);
        break;
      case 'rtcp':
        this.#rtcp.onRtcp(e.packet, this.#driver.now(), this.#driver.wallClock());
        this.#drainRtcp();
        break;
      case 'resolve-address': {
        const io = this.#io;
        const resolving = this.#driver.resolveHostname?.(e.name) ?? Promise.resolve([]);
        void resolving.then((addresses) => {
          if (!this.#closed) io?.run(() => io.transport.ice.resolveRemoteAddress(e.name, addresses));
        });
        break;
      }
      default:
        break;
    }
  }

  #onLocalCandidate(c: LocalCandidate): void {
    const candidate = sdpCandidateOf(c);
    this.#localCandidates.push(candidate);
    const firstLive = this.#lines.find((l) => !l.rejected);
    const init: RTCIceCandidateInit = {
      candidate: `candidate:${formatCandidateValue(candidate)}`,
      sdpMid: firstLive?.mid ?? '0',
      sdpMLineIndex: firstLive ? this.#lines.indexOf(firstLive) : 0,
      usernameFragment: c.ufrag ?? null,
    };
    safeDispatch(
      this,
      new RTCPeerConnectionIceEvent('icecandidate', { candidate: new RTCIceCandidate(init) }),
    );
  }

  #updateConnectionState(): void {
    const t = this.#io?.transport;
    const next = aggregateConnectionState(this.#closed, t ? [{ ice: t.iceState, dtls: t.dtlsState }] : []);
    if (next === this.#connectionState) return;
    this.#connectionState = next;
    safeDispatch(this, new Event('connectionstatechange'));
  }

  #routeRtp(packet: Uint8Array): void {
    const t = routeRtp(packet, this.#lines, this.#routing);
    if (!t) return;
    const media = this.#rtcp.onRtpReceived(packet, this.#rtcpSection(t), this.#driver.now());
    if (media) t.receiver.receive(media);
    this.#drainRtcp();
  }

  /** The RTCP view of a transceiver, one stable object per transceiver. */
  #rtcpSection(t: RTCRtpTransceiver): RtcpSection {
    let section = this.#rtcpSections.get(t);
    if (!section) {
      const made: RtcpSection = {
        kind: t.kind,
        get codecs() {
          return t.negotiatedCodecs;
        },
        ssrc: t.sender.ssrc,
        rtxSsrc: t.sender.rtxSsrc,
        onKeyFrameRequest: (method) => t.sender.keyFrameRequested(method),
      };
      t.receiver.keyFrameRequester = () => {
        const ok = this.#rtcp.requestKeyFrame(made);
        this.#drainRtcp();
        return ok;
      };
      section = made;
      this.#rtcpSections.set(t, section);
    }
    return section;
  }

  /** Sends what the RTCP session queued (reports, feedback, retransmissions). */
  #drainRtcp(): void {
    const transport = this.#io?.transport;
    if (!transport) return;
    let queued = false;
    for (let out = this.#rtcp.pollOutput(); out; out = this.#rtcp.pollOutput()) {
      if (out.type === 'rtcp') transport.sendRtcp(out.packet);
      else transport.sendRtp(out.packet);
      queued = true;
    }
    if (queued) this.#io?.requestFlush();
  }

  #addTransceiverInternal(
    kind: 'audio' | 'video',
    direction: RTCRtpTransceiverDirection,
    track: RtpTrack | null,
    streamIds: string[],
    createdByRemote = false,
  ): RTCRtpTransceiver {
    const sender = new RTCRtpSender(kind, this.#cname, track, streamIds);
    const t = new RTCRtpTransceiver(kind, direction === 'stopped' ? 'inactive' : direction, sender, () =>
      this.#updateNegotiationNeeded(),
    );
    t.createdByRemote = createdByRemote;
    this.#transceivers.push(t);
    return t;
  }
}
