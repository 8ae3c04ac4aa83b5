import { debuglog } from 'node:util';
import {
  createDtlsConnection,
  type DtlsCertificate,
  type DtlsConnection,
  type DtlsFingerprint,
  type DtlsState,
  MAX_APPLICATION_DATA,
} from '@purertc/dtls';
import {
  type CandidatePairInfo,
  IceAgent,
  type IceCandidate,
  type IceCredentials,
  type LocalCandidate,
  type LocalCandidateInput,
  type Transmit,
  type TransportAddress,
} from '@purertc/ice';
import { type DataChannelEvent, DataChannelManager, SctpAssociation } from '@purertc/sctp';
import { isSrtpProfileId, SrtpSession } from '@purertc/srtp';
import { classifyDatagram } from './demux.js';
import { SCTP_BASE_PACKET, sctpMaxPacketSize } from './sctp-path-mtu.js';
import type { RTCDtlsTransportState, RTCIceConnectionState } from './states.js';

const log = debuglog('purertc:peer');

/** Datagrams kept for a DTLS connection that does not exist yet (its answer is still in flight). */
const MAX_EARLY_DTLS = 16;

export interface PeerTransportOptions {
  certificate: DtlsCertificate;
  /** RFC 8445 6.1.1: the offerer starts as the controlling agent. */
  controlling: boolean;
  localCredentials?: IceCredentials;
  /** iceTransportPolicy 'relay'. */
  relayOnly?: boolean;
  /** How long the controlling agent waits for better pairs before nominating. */
  nominationDelayMs?: number;
  random?: (size: number) => Uint8Array;
  /** Largest SCTP packet path MTU discovery may use on any pair (see `sctpMaxPacketSize`). */
  sctpMaxPacketSize?: number;
}

export interface SctpStartOptions {
  localPort: number;
  remotePort: number;
  /** The remote a=max-message-size (RFC 8841 6): what we may send. */
  maxMessageSize: number;
}

export type PeerTransportEvent =
  | { readonly type: 'ice-state'; readonly state: RTCIceConnectionState }
  | { readonly type: 'dtls-state'; readonly state: RTCDtlsTransportState }
  | { readonly type: 'local-candidate'; readonly candidate: LocalCandidate }
  | { readonly type: 'local-candidates-complete' }
  | { readonly type: 'selected-pair'; readonly pair: CandidatePairInfo }
  | { readonly type: 'resolve-address'; readonly name: string }
  | { readonly type: 'rtp'; readonly packet: Uint8Array }
  | { readonly type: 'rtcp'; readonly packet: Uint8Array }
  | { readonly type: 'datachannel'; readonly event: DataChannelEvent };

export interface PeerTransportStats {
  bytesSent: number;
  bytesReceived: number;
  packetsSent: number;
  packetsReceived: number;
  /** Datagrams whose first byte belongs to no protocol we speak (RFC 7983). */
  droppedUnknown: number;
  droppedEarlyDtls: number;
  droppedSrtp: number;
  droppedRtpWithoutKeys: number;
}

function dtlsStateOf(state: DtlsState | undefined): RTCDtlsTransportState {
  switch (state) {
    case undefined:
    case 'new':
      return 'new';
    case 'handshaking':
      return 'connecting';
    default:
      return state;
  }
}

/**
 * The transports of one bundle group, sans-I/O: an ICE agent, the DTLS connection on its selected
 * pair, SRTP keyed from DTLS (RFC 5764) and an SCTP association carried in DTLS application data
 * (RFC 8261). Datagrams go in through `handleDatagram`, come out through `pollTransmit`; time is
 * always an argument.
 */
export class PeerTransport {
  readonly ice: IceAgent;
  readonly certificate: DtlsCertificate;
  readonly stats: PeerTransportStats = {
    bytesSent: 0,
    bytesReceived: 0,
    packetsSent: 0,
    packetsReceived: 0,
    droppedUnknown: 0,
    droppedEarlyDtls: 0,
    droppedSrtp: 0,
    droppedRtpWithoutKeys: 0,
  };
  #dtls: DtlsConnection | undefined;
  #dtlsRole: 'client' | 'server' | undefined;
  #dtlsReported: RTCDtlsTransportState = 'new';
  #srtp: SrtpSession | undefined;
  /**
   * Builds the SRTP session on first use: its contexts hold ~11 KB of per-key tables, which a
   * data-only connection would otherwise carry for nothing.
   */
  #srtpFactory: (() => SrtpSession) | undefined;
  #sctp: DataChannelManager | undefined;
  #sctpConnected = false;
  #earlyDtls: Buffer[] = [];
  #pendingDtlsOut: Buffer[] = [];
  #events: PeerTransportEvent[] = [];
  #remoteCertificate: Buffer | undefined;
  #cipherSuite: string | undefined;
  #closed = false;
  #lastNow = 0;
  /** Last words (ABORT, close_notify) drained from the agent before it closed. */
  #finalTransmits: Transmit[] = [];
  readonly #sctpMaxPacketSize: number | undefined;

  constructor(options: PeerTransportOptions) {
    this.certificate = options.certificate;
    this.#sctpMaxPacketSize = options.sctpMaxPacketSize;
    this.ice = new IceAgent({
      controlling: options.controlling,
      nominationDelayMs: options.nominationDelayMs ?? 200,
      relayOnly: options.relayOnly ?? false,
      ...(options.localCredentials ? { localCredentials: options.localCredentials } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  get dtls(): DtlsConnection | undefined {
    return this.#dtls;
  }
  get dtlsRole(): 'client' | 'server' | undefined {
    return this.#dtlsRole;
  }
  get dtlsState(): RTCDtlsTransportState {
    return dtlsStateOf(this.#dtls?.state);
  }
  get iceState(): RTCIceConnectionState {
    return this.ice.state;
  }
  get sctp(): DataChannelManager | undefined {
    return this.#sctp;
  }
  get srtp(): SrtpSession | undefined {
    return this.#srtpSession();
  }

  #srtpSession(): SrtpSession | undefined {
    if (!this.#srtp && this.#srtpFactory) {
      this.#srtp = this.#srtpFactory();
      this.#srtpFactory = undefined;
    }
    return this.#srtp;
  }
  /** The negotiated DTLS cipher suite's IANA name, once connected. */
  get cipherSuite(): string | undefined {
    return this.#cipherSuite;
  }
  get remoteCertificate(): Buffer | undefined {
    return this.#remoteCertificate;
  }
  get closed(): boolean {
    return this.#closed;
  }

  // ---- configuration from the descriptions ----

  addLocalCandidate(input: LocalCandidateInput): LocalCandidate {
    return this.ice.addLocalCandidate(input);
  }

  addRemoteCandidate(candidate: IceCandidate | string): boolean {
    return this.ice.addRemoteCandidate(candidate);
  }

  /**
   * RFC 8842 5: the DTLS role follows a=setup. A client starts its handshake once ICE has a
   * selected pair; a server listens at once. Calling again keeps the existing connection (a
   * renegotiation does not restart DTLS), only refreshing the expected fingerprints.
   */
  startDtls(role: 'client' | 'server', remoteFingerprints: readonly DtlsFingerprint[], now: number): void {
    if (this.#closed) return;
    if (this.#dtls) {
      this.#dtls.setRemoteFingerprints(remoteFingerprints);
      return;
    }
    this.#dtlsRole = role;
    this.#dtls = createDtlsConnection(
      {
        role,
        certificate: this.certificate,
        remoteFingerprints,
        // Chrome starts DTLS retransmissions at 50-100 ms rather than RFC 6347's 1 s.
        retransmit: { initialMs: 100 },
        // RFC 6347 4.2.1's cookie proves the client owns its address; here ICE checks and consent
        // (RFC 7675) already proved it for the only pair DTLS runs on, so the exchange would cost
        // a round trip for nothing. BoringSSL (Chrome's DTLS) never sends HelloVerifyRequest either.
        requireCookie: false,
      },
      now,
    );
    if (role === 'server') this.#dtls.start(now);
    else if (this.ice.selectedPair) this.#dtls.start(now);
    for (const d of this.#earlyDtls) this.#dtls.handle(d, now);
    this.#earlyDtls = [];
    this.pump(now);
  }

  /** RFC 8841: an association over the DTLS connection, initiated by the DTLS client. */
  startSctp(options: SctpStartOptions, now: number): DataChannelManager | undefined {
    if (this.#closed || this.#dtlsRole === undefined) return undefined;
    if (this.#sctp) return this.#sctp;
    const association = new SctpAssociation({
      localPort: options.localPort,
      remotePort: options.remotePort,
      maxMessageSize: options.maxMessageSize,
      // RFC 8261 5: SCTP packets must fit the DTLS record; 1200 keeps IPv6 paths unfragmented.
      // Larger packets only once path MTU discovery confirms them (RFC 8899, #updateSctpMaxMtu).
      mtu: Math.min(SCTP_BASE_PACKET, this.#sctpMaxPacketSize ?? SCTP_BASE_PACKET),
      // Chrome queues up to 16 MiB per connection before send() fails.
      maxSendBuffer: 16 * 1024 * 1024,
      // The window caps what a peer has in flight to us. A 5 MiB window let a sender's burst
      // (~4,400 datagrams, each costing ~2 KiB of kernel memory) overflow the driver's 4 MiB
      // socket buffer when the reader was busy, and every drop cost an RTO. 2 MiB per RTT is still
      // 20 MB/s at 100 ms RTT.
      maxReceiverWindow: 2 * 1024 * 1024,
      // Liveness is ICE consent's job (RFC 7675): like Chrome's and Firefox's dcSCTP settings, the
      // association never aborts on Association.Max.Retrans, so a lossy but live path keeps its
      // channels (with 30% loss a limit of 10 aborted 7-8 of 100 simulated transfers).
      maxRetransmissions: Number.POSITIVE_INFINITY,
      // RFC 9653: DTLS already authenticates every packet, so skip CRC32c when the peer agrees.
      zeroChecksum: true,
      // A burst read while we were busy is acknowledged with one SACK, not one per two packets
      // (each SACK is a DTLS record: a cipher, a datagram, a wakeup at the sender). Not more than
      // 4: a sender grows its window by at most one MTU per SACK (RFC 9260 7.2.1); Chrome 156
      // sent 16 MB to us at 6.4-7.2 MB/s with 8 and 12.7-17.8 MB/s with 4 (same machine, quiet).
      maxPacketsPerSack: 4,
    });
    this.#sctp = new DataChannelManager(association, this.#dtlsRole);
    this.#updateSctpMaxMtu(now);
    if (this.#dtls?.state === 'connected') this.connectSctp(now);
    this.pump(now);
    return this.#sctp;
  }

  // ---- I/O ----

  handleDatagram(socketId: string, remote: TransportAddress, bytes: Uint8Array, now: number): void {
    this.#lastNow = now;
    if (this.#closed) return;
    this.stats.bytesReceived += bytes.length;
    this.stats.packetsReceived++;
    if (classifyDatagram(bytes) === 'unknown') {
      this.stats.droppedUnknown++;
      return;
    }
    // The agent accepts application data only from pairs it knows (RFC 8445 11), then hands it back.
    this.ice.handleDatagram(socketId, remote, bytes, now);
    this.pump(now);
  }

  handleTimeout(now: number): void {
    this.#lastNow = now;
    if (this.#closed) return;
    this.ice.handleTimeout(now);
    this.#dtls?.handleTimeout(now);
    this.#sctp?.handleTimeout(now);
    this.pump(now);
  }

  nextDeadline(): number | undefined {
    if (this.#closed) return undefined;
    let next = Number.POSITIVE_INFINITY;
    for (const d of [this.ice.nextDeadline(), this.#dtls?.nextDeadline(), this.#sctp?.nextDeadline()]) {
      if (d !== undefined && d < next) next = d;
    }
    return Number.isFinite(next) ? next : undefined;
  }

  pollTransmit(): Transmit | undefined {
    const t = this.#finalTransmits.shift() ?? this.ice.pollTransmit();
    if (t) {
      this.stats.bytesSent += t.data.length;
      this.stats.packetsSent++;
    }
    return t;
  }

  pollEvent(): PeerTransportEvent | undefined {
    return this.#events.shift();
  }

  /** Protects and sends one RTP packet on the selected pair. False when SRTP is not up yet. */
  sendRtp(packet: Uint8Array): boolean {
    const srtp = this.#srtpSession();
    if (!srtp || this.#closed) return false;
    return this.ice.send(srtp.protectRtp(packet));
  }

  sendRtcp(packet: Uint8Array): boolean {
    const srtp = this.#srtpSession();
    if (!srtp || this.#closed) return false;
    return this.ice.send(srtp.protectRtcp(packet));
  }

  /** RFC 8445 9 with the given new local credentials. */
  restartIce(credentials: IceCredentials, now: number): void {
    if (this.#closed) return;
    this.ice.restart(credentials);
    this.pump(now);
  }

  /**
   * Tears everything down: SCTP ABORT and DTLS close_notify go out first (the caller drains them
   * with pollTransmit), then the agent stops.
   */
  close(now: number): void {
    if (this.#closed) return;
    if (this.#sctp && this.#sctpConnected) this.#sctp.association.abort('RTCPeerConnection closed', now);
    this.pump(now);
    this.#dtls?.close();
    this.pump(now);
    this.#closed = true;
    this.#emitDtlsState();
    for (let t = this.ice.pollTransmit(); t; t = this.ice.pollTransmit()) this.#finalTransmits.push(t);
    this.ice.close();
  }

  /** Moves everything that is ready between the layers; call after any input or API call. */
  pump(now: number): void {
    this.#lastNow = now;
    for (let round = 0; round < 64; round++) {
      let moved = false;
      for (let e = this.ice.pollEvent(); e; e = this.ice.pollEvent()) {
        moved = true;
        this.#onIceEvent(e, now);
      }
      const dtls = this.#dtls;
      if (dtls) {
        for (let e = dtls.pollEvent(); e; e = dtls.pollEvent()) {
          moved = true;
          switch (e.type) {
            case 'connected':
              this.#remoteCertificate = e.peerCertificate;
              this.#cipherSuite = e.cipherSuite;
              this.#setupSrtp(dtls, e.srtpProfile);
              if (this.#sctp) this.connectSctp(now);
              break;
            case 'data':
              this.#sctp?.handlePacket(e.data, now);
              break;
            case 'closed':
            case 'error':
              log('dtls %s', e.type === 'error' ? e.error.message : `closed by ${e.initiator}`);
              // Without DTLS the association is gone too (RFC 8261 6).
              if (this.#sctp && !(e.type === 'closed' && e.initiator === 'local')) {
                this.#events.push({
                  type: 'datachannel',
                  event: { type: 'aborted', reason: 'DTLS transport closed' },
                });
              }
              break;
          }
        }
        this.#emitDtlsState();
      }
      const sctp = this.#sctp;
      if (sctp) {
        if (dtls?.state === 'connected') {
          for (let p = sctp.pollTransmit(now); p; p = sctp.pollTransmit(now)) {
            moved = true;
            if (p.length <= MAX_APPLICATION_DATA) dtls.send(p);
          }
        }
        for (let e = sctp.pollEvent(); e; e = sctp.pollEvent()) {
          moved = true;
          this.#events.push({ type: 'datachannel', event: e });
        }
      }
      if (dtls) {
        for (let d = dtls.poll(); d; d = dtls.poll()) {
          moved = true;
          this.#pendingDtlsOut.push(d);
        }
      }
      if (this.#pendingDtlsOut.length > 0 && this.ice.selectedPair) {
        for (const d of this.#pendingDtlsOut) this.ice.send(d);
        this.#pendingDtlsOut = [];
      }
      if (!moved) break;
    }
  }

  private connectSctp(now: number): void {
    if (this.#sctpConnected || !this.#sctp) return;
    this.#sctpConnected = true;
    // RFC 8841 does not say who sends INIT: werift initiates from the ICE-controlling side whatever
    // its DTLS role, dcSCTP from both. Both ends send INIT and RFC 9260 5.2.1 resolves the collision.
    this.#sctp.connect(now);
  }

  /** MAX_PLPMTU follows the selected pair (RFC 8899 5.3.1): another path may allow less, or more. */
  #updateSctpMaxMtu(now: number): void {
    const pair = this.ice.selectedPair;
    if (!pair || !this.#sctp) return;
    const max = sctpMaxPacketSize(pair, this.ice.localCandidateList, this.#sctpMaxPacketSize);
    this.#sctp.association.setMaxMtu(max, now);
  }

  #setupSrtp(dtls: DtlsConnection, profile: number | undefined): void {
    if (profile === undefined || !isSrtpProfileId(profile)) return;
    const material = dtls.srtpKeyingMaterial();
    this.#srtp = undefined;
    this.#srtpFactory = () =>
      new SrtpSession({
        profile,
        local: { masterKey: material.localMasterKey, masterSalt: material.localMasterSalt },
        remote: { masterKey: material.remoteMasterKey, masterSalt: material.remoteMasterSalt },
      });
  }

  #emitDtlsState(): void {
    const state = this.#closed && this.#dtls === undefined ? 'closed' : this.dtlsState;
    if (state === this.#dtlsReported) return;
    this.#dtlsReported = state;
    this.#events.push({ type: 'dtls-state', state });
  }

  #onIceEvent(e: ReturnType<IceAgent['pollEvent']> & object, now: number): void {
    switch (e.type) {
      case 'data':
        this.#onData(e.data, now);
        return;
      case 'state-change':
        this.#events.push({ type: 'ice-state', state: e.state });
        return;
      case 'selected-pair':
        if (this.#dtls && this.#dtlsRole === 'client' && this.#dtls.state === 'new') this.#dtls.start(now);
        this.#updateSctpMaxMtu(now);
        this.#events.push({ type: 'selected-pair', pair: e.pair });
        return;
      case 'local-candidate':
        this.#events.push({ type: 'local-candidate', candidate: e.candidate });
        return;
      case 'local-candidates-complete':
        this.#events.push({ type: 'local-candidates-complete' });
        return;
      case 'resolve-address':
        this.#events.push({ type: 'resolve-address', name: e.name });
        return;
      case 'role-change':
        return;
    }
  }

  #onData(data: Buffer, now: number): void {
    switch (classifyDatagram(data)) {
      case 'dtls':
        if (this.#dtls) this.#dtls.handle(data, now);
        else if (this.#earlyDtls.length < MAX_EARLY_DTLS) this.#earlyDtls.push(data);
        else this.stats.droppedEarlyDtls++;
        return;
      case 'rtp':
      case 'rtcp': {
        const srtp = this.#srtpSession();
        if (!srtp) {
          this.stats.droppedRtpWithoutKeys++;
          return;
        }
        const rtcp = classifyDatagram(data) === 'rtcp';
        const result = rtcp ? srtp.unprotectRtcp(data) : srtp.unprotectRtp(data);
        if (!result.ok) {
          this.stats.droppedSrtp++;
          return;
        }
        this.#events.push({ type: rtcp ? 'rtcp' : 'rtp', packet: result.packet });
        return;
      }
      default:
        this.stats.droppedUnknown++;
    }
  }

  /** The last time any input carried; what API calls without a clock use. */
  get lastNow(): number {
    return this.#lastNow;
  }
}
