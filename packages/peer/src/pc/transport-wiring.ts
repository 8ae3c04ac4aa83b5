import type { IceCredentials, LocalCandidate } from '@purertc/ice';
import type { PeerDriver } from '../driver/driver.js';
import { formatCandidateValue } from '../sdp/candidate.js';
import type { SdpCandidate } from '../sdp/model.js';
import { PeerTransport, type PeerTransportEvent } from '../transport/peer-transport.js';
import {
  aggregateConnectionState,
  aggregateGatheringState,
  aggregateIceConnectionState,
  type RTCIceConnectionState,
  type RTCIceGatheringState,
  type RTCPeerConnectionState,
} from '../transport/states.js';
import { CandidateGathering } from './candidate-gathering.js';
import type { RTCCertificate } from './certificate.js';
import type { ResolvedConfiguration } from './configuration.js';
import type { DataChannelRegistry } from './data-channel-registry.js';
import { safeDispatch } from './event-handlers.js';
import { RTCPeerConnectionIceEvent } from './events.js';
import { RTCIceCandidate, type RTCIceCandidateInit } from './ice-candidate.js';
import type { MLine } from './jsep/m-line.js';
import type { RemoteTransportInfo } from './jsep/read-remote.js';
import type { TransportGroup } from './jsep/transport-groups.js';
import type { MediaSession } from './media-session.js';
import { sdpCandidateOf } from './sdp-helpers.js';
import { TransportIo } from './transport-io.js';

/**
 * draft-ietf-mmusic-mdns-ice-candidates 3.1: with mDNS on, a host candidate is signalled under
 * its `.local` name, and srflx/relay candidates do not reveal the host address as raddr/rport.
 */
function signalledCandidate(
  c: SdpCandidate,
  hostnameFor: ((address: string) => string) | undefined,
): SdpCandidate {
  if (!hostnameFor) return c;
  if (c.type === 'host') return { ...c, address: hostnameFor(c.address) };
  if (c.relatedAddress !== undefined) return { ...c, relatedAddress: '0.0.0.0', relatedPort: 0 };
  return c;
}

/** What the transport side needs from the connection that owns it. */
export interface TransportHost {
  readonly target: EventTarget;
  readonly driver: PeerDriver;
  readonly certificate: RTCCertificate;
  readonly dataChannels: DataChannelRegistry;
  readonly media: MediaSession;
  isClosed(): boolean;
  config(): ResolvedConfiguration;
  /** The m-lines as negotiated so far. */
  lines(): readonly MLine[];
}

/**
 * One ICE + DTLS (+ SRTP + SCTP) transport of the connection, the m-sections it carries, its own
 * driver (sockets and timer) and gathering, and the candidates it gathered for localDescription.
 */
export class TransportSlot {
  /** Stable name, for per-transport state kept elsewhere (ICE restart credentials). */
  readonly id: string;
  /** The sections it carries; the first is the one whose parameters describe it. */
  mids: TransportGroup = [];
  readonly io: TransportIo;
  readonly gathering: CandidateGathering;
  /** Local candidates of the current ICE generation, for localDescription. */
  localCandidates: SdpCandidate[] = [];
  closed = false;

  constructor(id: string, io: TransportIo, gathering: CandidateGathering) {
    this.id = id;
    this.io = io;
    this.gathering = gathering;
  }

  get transport(): PeerTransport {
    return this.io.transport;
  }
}

/**
 * The transports of a connection wired to their drivers, their events turned into the W3C ones
 * (icecandidate with the right sdpMid, iceconnectionstatechange, icegatheringstatechange,
 * connectionstatechange over all transports, W3C 4.3). One transport when everything is bundled
 * (RFC 9143); one per group otherwise. The first slot also runs the RTCP timer.
 */
export class TransportWiring {
  #slots: TransportSlot[] = [];
  #nextId = 0;
  #iceState: RTCIceConnectionState = 'new';
  #gatheringState: RTCIceGatheringState = 'new';
  #connectionState: RTCPeerConnectionState = 'new';
  /** Gathering of the first transport; exists before any (iceCandidatePoolSize prefetch). */
  readonly gathering: CandidateGathering;
  readonly #host: TransportHost;

  constructor(host: TransportHost) {
    this.#host = host;
    this.gathering = this.#newGathering(host.driver);
  }

  get slots(): readonly TransportSlot[] {
    return this.#slots;
  }
  /** The first transport (the only one when bundled). */
  get io(): TransportIo | undefined {
    return this.#slots[0]?.io;
  }
  get transport(): PeerTransport | undefined {
    return this.#slots[0]?.transport;
  }
  get iceState(): RTCIceConnectionState {
    return this.#iceState;
  }
  get gatheringState(): RTCIceGatheringState {
    return this.#gatheringState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#connectionState;
  }
  /** Whether groups can get transports of their own (the driver can make sibling drivers). */
  get canSplit(): boolean {
    return this.#host.driver.fork !== undefined;
  }

  /** The transport carrying `mid`, else the first. */
  slotFor(mid: string | null | undefined): TransportSlot | undefined {
    return (
      (mid !== null && mid !== undefined ? this.#slots.find((s) => s.mids.includes(mid)) : undefined) ??
      this.#slots[0]
    );
  }

  /** The transport of the data section (SCTP lives there). */
  dataSlot(): TransportSlot | undefined {
    const data = this.#host.lines().find((l) => l.data && !l.rejected);
    return this.slotFor(data?.mid);
  }

  /** The first transport, created on first use (RFC 8445 6.1.1: the offerer starts controlling). */
  ensure(controlling: boolean): PeerTransport {
    const first = this.#slots[0];
    if (first) return first.transport;
    return this.#createSlot(this.#host.driver, this.gathering, controlling).transport;
  }

  /**
   * Gives each group a transport: the one already carrying its tagged (else any) section, else an
   * unused one, else a new one on a sibling driver. Slots left without sections stay until
   * `prune` (an answer may still pick them). Without a forking driver everything shares one.
   */
  layout(groups: readonly TransportGroup[], controlling: boolean, allowNew: boolean): void {
    this.ensure(controlling);
    const assigned = new Map<TransportSlot, string[]>();
    for (const group of groups) {
      const free = (s: TransportSlot) => !assigned.has(s);
      let slot =
        this.#slots.find((s) => free(s) && group[0] !== undefined && s.mids.includes(group[0])) ??
        this.#slots.find((s) => free(s) && s.mids.some((m) => group.includes(m))) ??
        this.#slots.find((s) => free(s) && s.mids.length === 0);
      // An answer never needs a transport we did not offer: a group it splits stays where it was.
      if (!slot && !allowNew) slot = this.#slots.find((s) => s.mids.some((m) => group.includes(m)));
      if (!slot) {
        const fork = allowNew ? this.#host.driver.fork?.bind(this.#host.driver) : undefined;
        if (fork) {
          const driver = fork();
          // W3C 4.4.1.5: it gathers once a local description is set (startGathering).
          slot = this.#createSlot(driver, this.#newGathering(driver), controlling);
        } else slot = this.#slots[0]!;
      }
      assigned.set(slot, [...(assigned.get(slot) ?? []), ...group]);
    }
    for (const slot of this.#slots) slot.mids = assigned.get(slot) ?? [];
    this.#updateStates();
  }

  /** Negotiation is over: transports that carry no section are released (RFC 9143 7.4). */
  prune(): void {
    const keep = this.#slots.filter((s) => s.mids.length > 0);
    if (keep.length === 0 || keep.length === this.#slots.length) return;
    for (const s of this.#slots) {
      if (keep.includes(s)) continue;
      s.closed = true;
      s.io.close();
    }
    this.#slots = keep;
    // The RTCP timer rides on the first transport.
    const first = keep[0]!;
    if (first.io.timers !== this.#host.media.timers) {
      first.io.timers = this.#host.media.timers;
      first.io.flush();
    }
    this.#updateStates();
    // A released transport may have been the one still gathering.
    this.#updateGatheringState();
  }

  startGathering(): void {
    for (const s of this.#slots) s.gathering.start(s.io, this.#host.config());
  }

  /** Remote ICE parameters and candidates for the transport carrying `mids`. */
  applyRemote(info: RemoteTransportInfo, mids?: TransportGroup): void {
    const slot = this.slotFor(mids?.[0]);
    if (!slot) return;
    const transport = slot.transport;
    slot.io.run(() => {
      transport.ice.setRemoteCredentials({ ufrag: info.ufrag, pwd: info.pwd }, { lite: info.iceLite });
      for (const c of info.candidates) transport.addRemoteCandidate(c);
      if (info.endOfCandidates) transport.ice.endOfRemoteCandidates();
    });
  }

  /** RFC 8445 9: new local credentials; gathering starts over for the new generation. */
  restartIce(slot: TransportSlot, credentials: IceCredentials): void {
    if (slot.closed) return;
    const io = slot.io;
    slot.localCandidates = [];
    slot.gathering.setState('gathering');
    io.run((now) => {
      io.transport.restartIce(credentials, now);
      if (slot.gathering.started && slot.gathering.done) io.transport.ice.endOfLocalCandidates();
    });
  }

  /**
   * Both descriptions are known: DTLS with the role a=setup gave us (RFC 8842), then SCTP when
   * this transport carries a data section that survived (RFC 8841).
   */
  startSecureTransport(
    slot: TransportSlot,
    role: 'client' | 'server',
    remote: RemoteTransportInfo,
    dataAccepted: boolean,
  ): void {
    if (slot.closed) return;
    const io = slot.io;
    const transport = io.transport;
    const channels = this.#host.dataChannels;
    io.run((now) => {
      transport.startDtls(role, remote.fingerprints, now);
      if (dataAccepted && remote.sctp) {
        channels.remoteMaxMessageSize = remote.sctp.maxMessageSize;
        const manager = transport.startSctp(
          {
            localPort: 5000,
            remotePort: remote.sctp.port,
            maxMessageSize: Math.min(remote.sctp.maxMessageSize, 0x7fffffff),
          },
          now,
        );
        if (manager) for (const ch of channels.unbound()) channels.bind(manager, ch);
      }
    });
  }

  flush(): void {
    for (const s of this.#slots) s.io.flush();
  }

  requestFlush(): void {
    for (const s of this.#slots) s.io.requestFlush();
  }

  /** Releases sockets and timers (each transport says its last words first). */
  close(): void {
    if (this.#slots.length === 0) this.#host.driver.close();
    for (const s of this.#slots) {
      s.closed = true;
      s.io.close();
    }
  }

  #newGathering(driver: PeerDriver): CandidateGathering {
    return new CandidateGathering(
      driver,
      this.#host.target,
      () => this.#host.isClosed(),
      () => this.#updateGatheringState(),
    );
  }

  #createSlot(driver: PeerDriver, gathering: CandidateGathering, controlling: boolean): TransportSlot {
    const host = this.#host;
    const transport = new PeerTransport({
      certificate: host.certificate.dtls,
      controlling,
      relayOnly: host.config().iceTransportPolicy === 'relay',
      ...(host.config().sctpMaxPacketSize !== undefined
        ? { sctpMaxPacketSize: host.config().sctpMaxPacketSize }
        : {}),
    });
    let slot: TransportSlot | undefined;
    const io = new TransportIo(driver, transport, (e) => {
      if (slot && !slot.closed) this.#onTransportEvent(slot, e);
    });
    slot = new TransportSlot(`t${this.#nextId++}`, io, gathering);
    if (this.#slots.length === 0) io.timers = host.media.timers;
    this.#slots.push(slot);
    return slot;
  }

  #onTransportEvent(slot: TransportSlot, e: PeerTransportEvent): void {
    const host = this.#host;
    if (host.isClosed()) return;
    switch (e.type) {
      case 'local-candidate':
        this.#onLocalCandidate(slot, e.candidate);
        break;
      case 'local-candidates-complete':
        slot.gathering.setState('complete');
        break;
      case 'ice-state':
      case 'dtls-state':
        this.#updateStates();
        break;
      case 'datachannel':
        host.dataChannels.handleEvent(e.event);
        break;
      case 'rtp':
        host.media.onRtp(e.packet, host.lines());
        break;
      case 'rtcp':
        host.media.onRtcp(e.packet);
        break;
      case 'resolve-address': {
        const resolving = slot.io.driver.resolveHostname?.(e.name) ?? Promise.resolve([]);
        void resolving.then((addresses) => {
          if (!host.isClosed() && !slot.closed)
            slot.io.run(() => slot.transport.ice.resolveRemoteAddress(e.name, addresses));
        });
        break;
      }
      default:
        break;
    }
  }

  /** W3C 4.4.1.? (gathering): an icecandidate event tagged with the section its transport serves. */
  #onLocalCandidate(slot: TransportSlot, c: LocalCandidate): void {
    const candidate = signalledCandidate(sdpCandidateOf(c), slot.io.driver.hostnameFor);
    slot.localCandidates.push(candidate);
    // A transport no section uses any more (an answer moved them away) signals nothing.
    if (slot.mids.length === 0 && this.#slots.length > 1) return;
    const lines = this.#host.lines();
    const tagged = lines.find((l) => l.mid === slot.mids[0] && !l.rejected) ?? lines.find((l) => !l.rejected);
    const init: RTCIceCandidateInit = {
      candidate: `candidate:${formatCandidateValue(candidate)}`,
      sdpMid: tagged?.mid ?? '0',
      sdpMLineIndex: tagged ? lines.indexOf(tagged) : 0,
      usernameFragment: c.ufrag ?? null,
    };
    safeDispatch(
      this.#host.target,
      new RTCPeerConnectionIceEvent('icecandidate', { candidate: new RTCIceCandidate(init) }),
    );
  }

  /** W3C 4.3.1: gathering is complete when every transport is; then the null candidate. */
  #updateGatheringState(): void {
    const next = aggregateGatheringState(this.#slots.map((s) => s.gathering.state));
    // Before any transport exists, the first one's (prefetching) gathering speaks for all.
    const state = this.#slots.length === 0 ? this.gathering.state : next;
    if (state === this.#gatheringState) return;
    this.#gatheringState = state;
    safeDispatch(this.#host.target, new Event('icegatheringstatechange'));
    if (state === 'complete') {
      safeDispatch(this.#host.target, new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
    }
  }

  /** W3C 4.3.2 / 4.3.3: the aggregate ICE and connection states over every live transport. */
  #updateStates(): void {
    const closed = this.#host.isClosed();
    const live = this.#slots.filter((s) => !s.closed);
    const states = live.map((s) => s.transport.iceState);
    const ice = aggregateIceConnectionState(closed, states);
    // A transport closing under us (close()) is no state change the application sees.
    if (ice !== this.#iceState && ice !== 'closed' && !states.every((s) => s === 'closed')) {
      this.#iceState = ice;
      safeDispatch(this.#host.target, new Event('iceconnectionstatechange'));
    }
    const next = aggregateConnectionState(
      closed,
      live.map((s) => ({ ice: s.transport.iceState, dtls: s.transport.dtlsState })),
    );
    if (next === this.#connectionState) return;
    this.#connectionState = next;
    safeDispatch(this.#host.target, new Event('connectionstatechange'));
  }
}
