import type { IceCredentials, LocalCandidate } from '@purertc/ice';
import type { PeerDriver } from '../driver/driver.js';
import { formatCandidateValue } from '../sdp/candidate.js';
import type { SdpCandidate } from '../sdp/model.js';
import { PeerTransport, type PeerTransportEvent } from '../transport/peer-transport.js';
import {
  aggregateConnectionState,
  type RTCIceConnectionState,
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
  /** The m-lines as negotiated so far (candidates are tagged with the first live one). */
  lines(): readonly MLine[];
}

/**
 * The ICE + DTLS (+ SRTP + SCTP) transport of a connection wired to its driver, its events turned
 * into the W3C ones (icecandidate, iceconnectionstatechange, connectionstatechange) and the
 * gathered candidates kept for localDescription.
 */
export class TransportWiring {
  readonly gathering: CandidateGathering;
  #io: TransportIo | undefined;
  #iceState: RTCIceConnectionState = 'new';
  #connectionState: RTCPeerConnectionState = 'new';
  /** Local candidates of the current ICE generation, for localDescription. */
  localCandidates: SdpCandidate[] = [];
  readonly #host: TransportHost;

  constructor(host: TransportHost) {
    this.#host = host;
    this.gathering = new CandidateGathering(host.driver, host.target, () => host.isClosed());
  }

  get io(): TransportIo | undefined {
    return this.#io;
  }
  get transport(): PeerTransport | undefined {
    return this.#io?.transport;
  }
  get iceState(): RTCIceConnectionState {
    return this.#iceState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#connectionState;
  }

  /** The transport, created on first use (RFC 8445 6.1.1: the offerer starts controlling). */
  ensure(controlling: boolean): PeerTransport {
    if (this.#io) return this.#io.transport;
    const host = this.#host;
    const transport = new PeerTransport({
      certificate: host.certificate.dtls,
      controlling,
      relayOnly: host.config().iceTransportPolicy === 'relay',
    });
    this.#io = new TransportIo(host.driver, transport, (e) => this.#onTransportEvent(e));
    this.#io.timers = host.media.timers;
    return transport;
  }

  startGathering(): void {
    if (this.#io) this.gathering.start(this.#io, this.#host.config());
  }

  /** Remote ICE parameters and candidates from a remote description. */
  applyRemote(info: RemoteTransportInfo): void {
    const transport = this.transport;
    if (!transport) return;
    this.#io!.run(() => {
      transport.ice.setRemoteCredentials({ ufrag: info.ufrag, pwd: info.pwd });
      for (const c of info.candidates) transport.addRemoteCandidate(c);
      if (info.endOfCandidates) transport.ice.endOfRemoteCandidates();
    });
  }

  /** RFC 8445 9: new local credentials; gathering starts over for the new generation. */
  restartIce(credentials: IceCredentials): void {
    const io = this.#io;
    if (!io) return;
    this.localCandidates = [];
    this.gathering.setState('gathering');
    io.run((now) => {
      io.transport.restartIce(credentials, now);
      if (this.gathering.started && this.gathering.done) io.transport.ice.endOfLocalCandidates();
    });
  }

  /**
   * Both descriptions are known: DTLS with the role a=setup gave us (RFC 8842), then SCTP when a
   * data section survived (RFC 8841).
   */
  startSecureTransport(role: 'client' | 'server', remote: RemoteTransportInfo, dataAccepted: boolean): void {
    const io = this.#io;
    if (!io) return;
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

  /** Releases sockets and timers (the transport says its last words first). */
  close(): void {
    if (this.#io) this.#io.close();
    else this.#host.driver.close();
  }

  #onTransportEvent(e: PeerTransportEvent): void {
    const host = this.#host;
    if (host.isClosed()) return;
    switch (e.type) {
      case 'local-candidate':
        this.#onLocalCandidate(e.candidate);
        break;
      case 'local-candidates-complete':
        this.gathering.setState('complete');
        safeDispatch(host.target, new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
        break;
      case 'ice-state':
        if (e.state !== this.#iceState && e.state !== 'closed') {
          this.#iceState = e.state;
          safeDispatch(host.target, new Event('iceconnectionstatechange'));
        }
        this.#updateConnectionState();
        break;
      case 'dtls-state':
        this.#updateConnectionState();
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
        const io = this.#io;
        const resolving = host.driver.resolveHostname?.(e.name) ?? Promise.resolve([]);
        void resolving.then((addresses) => {
          if (!host.isClosed()) io?.run(() => io.transport.ice.resolveRemoteAddress(e.name, addresses));
        });
        break;
      }
      default:
        break;
    }
  }

  #onLocalCandidate(c: LocalCandidate): void {
    const candidate = signalledCandidate(sdpCandidateOf(c), this.#host.driver.hostnameFor);
    this.localCandidates.push(candidate);
    const lines = this.#host.lines();
    const firstLive = lines.find((l) => !l.rejected);
    const init: RTCIceCandidateInit = {
      candidate: `candidate:${formatCandidateValue(candidate)}`,
      sdpMid: firstLive?.mid ?? '0',
      sdpMLineIndex: firstLive ? lines.indexOf(firstLive) : 0,
      usernameFragment: c.ufrag ?? null,
    };
    safeDispatch(
      this.#host.target,
      new RTCPeerConnectionIceEvent('icecandidate', { candidate: new RTCIceCandidate(init) }),
    );
  }

  #updateConnectionState(): void {
    const t = this.transport;
    const next = aggregateConnectionState(
      this.#host.isClosed(),
      t ? [{ ice: t.iceState, dtls: t.dtlsState }] : [],
    );
    if (next === this.#connectionState) return;
    this.#connectionState = next;
    safeDispatch(this.#host.target, new Event('connectionstatechange'));
  }
}
