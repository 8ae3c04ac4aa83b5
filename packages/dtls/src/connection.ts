import { randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';
import { debuglog } from 'node:util';
import { ownedCopy } from './bytes.js';
import type { DtlsCertificate } from './cert/certificate.js';
import { type DtlsFingerprint, matchesAnyFingerprint } from './cert/fingerprint.js';
import { AlertDescription, AlertLevel, ContentType, HandshakeType } from './constants.js';
import { Dtls12RecordAead } from './crypto/aead.js';
import {
  expandKeyBlock,
  exportKeyingMaterial,
  extendedMasterSecret,
  finishedVerifyData,
} from './crypto/prf.js';
import type { CipherSuiteInfo } from './crypto/suites.js';
import { DtlsError, DtlsParseError } from './errors.js';
import type { DtlsEvent, DtlsStats } from './events.js';
import { type FlightMessage, packFlight } from './flight/flight.js';
import { DEFAULT_RETRANSMIT_POLICY, RetransmitTimer } from './flight/retransmit-timer.js';
import { encodeWholeMessage, parseHandshakeFragments } from './handshake/fragment.js';
import {
  DEFAULT_REASSEMBLER_LIMITS,
  type HandshakeMessage,
  HandshakeReassembler,
} from './handshake/reassembler.js';
import { Transcript } from './handshake/transcript.js';
import {
  DEFAULT_CIPHER_SUITES,
  DEFAULT_GROUPS,
  DEFAULT_MTU,
  DEFAULT_SRTP_PROFILES,
  type DtlsConnectionOptions,
  type DtlsRole,
} from './options.js';
import { encodeAlert, parseAlert } from './record/alert.js';
import { type DtlsRecord, parseDatagram } from './record/record.js';
import { Dtls12RecordLayer } from './record/record-layer.js';
import { type SrtpKeyingMaterial, splitSrtpKeyingMaterial } from './srtp-keys.js';

const log = debuglog('purertc:dtls');
/** RFC 6347 4.1 / RFC 5246 6.2.1: a record's plaintext is at most 2^14 bytes. */
export const MAX_APPLICATION_DATA = 16384;
/** Records of epoch 1 held while the keys are not derived yet, and early application data. */
const MAX_EARLY_RECORDS = 8;

export type DtlsState = 'new' | 'handshaking' | 'connected' | 'closed' | 'failed';

export type ResolvedOptions = Required<
  Pick<DtlsConnectionOptions, 'srtpProfiles' | 'cipherSuites' | 'groups' | 'mtu' | 'randomBytes'>
> &
  DtlsConnectionOptions;

/**
 * What client and server share: the record layer, flights and their timer, reassembly, alerts,
 * application data and the event queue. The role-specific handshakes live in client.ts / server.ts.
 * Sans-I/O: datagrams come in through handle(), go out through poll(); time is always passed in.
 */
export abstract class DtlsConnection {
  abstract readonly role: DtlsRole;
  protected readonly options: ResolvedOptions;
  protected readonly records = new Dtls12RecordLayer();
  protected readonly reassembler: HandshakeReassembler;
  protected readonly transcript = new Transcript();
  private readonly timer: RetransmitTimer;
  private readonly outgoing: Buffer[] = [];
  private readonly events: DtlsEvent[] = [];
  private lastFlight: FlightMessage[] | undefined;
  private readonly earlyRecords: DtlsRecord[] = [];
  private readonly earlyData: Buffer[] = [];
  /** Our next handshake message_seq (RFC 6347 4.2.2). */
  protected nextSendSeq = 0;
  protected suite: CipherSuiteInfo | undefined;
  protected clientRandom: Buffer | undefined;
  protected serverRandom: Buffer | undefined;
  protected masterSecret: Buffer | undefined;
  protected peerCertificate: Buffer | undefined;
  protected srtpProfile: number | undefined;
  private currentState: DtlsState = 'new';
  readonly stats: DtlsStats = {
    datagramsReceived: 0,
    recordsDropped: 0,
    malformedDropped: 0,
    replaysDropped: 0,
    authFailures: 0,
    retransmissions: 0,
    helloVerifyRequestsSent: 0,
  };

  constructor(options: DtlsConnectionOptions) {
    this.options = {
      ...options,
      srtpProfiles: options.srtpProfiles ?? DEFAULT_SRTP_PROFILES,
      cipherSuites: options.cipherSuites ?? DEFAULT_CIPHER_SUITES,
      groups: options.groups ?? DEFAULT_GROUPS,
      mtu: options.mtu ?? DEFAULT_MTU,
      randomBytes: options.randomBytes ?? nodeRandomBytes,
    };
    this.timer = new RetransmitTimer({ ...DEFAULT_RETRANSMIT_POLICY, ...options.retransmit });
    this.reassembler = new HandshakeReassembler({ ...DEFAULT_REASSEMBLER_LIMITS, ...options.reassembly });
  }

  get state(): DtlsState {
    return this.currentState;
  }

  protected setState(s: DtlsState): void {
    this.currentState = s;
  }

  /** Begins the handshake (the client sends its ClientHello; the server starts listening). */
  abstract start(now: number): void;

  /** The role-specific step for one complete, in-order handshake message. Throws DtlsError to fail. */
  protected abstract dispatchHandshake(msg: HandshakeMessage, whole: Buffer, now: number): void;

  /** Rules both roles share before their own step: only Finished travels under epoch 1. */
  private onHandshakeMessage(msg: HandshakeMessage, whole: Buffer, now: number): void {
    if (msg.epoch !== 0 && msg.msgType !== HandshakeType.finished) {
      throw new DtlsError('unexpected-message', 'handshake message in the wrong epoch');
    }
    try {
      this.dispatchHandshake(msg, whole, now);
    } catch (e) {
      if (e instanceof DtlsParseError) throw new DtlsError('decode-error', e.message);
      throw e;
    }
  }

  /** Role hook: drops what only the handshake needed (ephemeral keys, the hello) once connected. */
  protected releaseHandshakeState(): void {}

  /** Server hook: the stateless cookie gate sees datagrams before any state is touched. */
  protected admit(_datagram: Buffer, _now: number): boolean {
    return true;
  }

  // ---- outputs -------------------------------------------------------------------------------

  /** The next datagram to send, or undefined when there is none. */
  poll(): Buffer | undefined {
    return this.outgoing.shift();
  }

  pollEvent(): DtlsEvent | undefined {
    return this.events.shift();
  }

  nextDeadline(): number | undefined {
    return this.timer.nextDeadline;
  }

  protected emit(e: DtlsEvent): void {
    this.events.push(e);
  }

  protected enqueue(datagram: Buffer): void {
    this.outgoing.push(datagram);
  }

  // ---- flights -------------------------------------------------------------------------------

  protected handshakeMessage(epoch: number, msgType: number, body: Buffer): FlightMessage {
    return { kind: 'handshake', epoch, msgType, messageSeq: this.nextSendSeq++, body };
  }

  /** Sends a flight. A flight that expects an answer arms the timer; the final flight only waits to be asked again. */
  protected sendFlight(messages: FlightMessage[], now: number, expectsReply: boolean): void {
    this.lastFlight = messages;
    for (const d of packFlight(this.records, messages, this.options.mtu)) this.enqueue(d);
    if (expectsReply) this.timer.startFlight(now);
    else this.timer.stop();
  }

  protected stopRetransmitting(): void {
    this.timer.stop();
  }

  protected forgetFlight(): void {
    this.lastFlight = undefined;
  }

  private retransmit(): void {
    if (!this.lastFlight) return;
    this.stats.retransmissions++;
    log('%s retransmits a flight of %d messages', this.role, this.lastFlight.length);
    for (const d of packFlight(this.records, this.lastFlight, this.options.mtu)) this.enqueue(d);
  }

  handleTimeout(now: number): void {
    if (this.currentState !== 'handshaking') return;
    const verdict = this.timer.onTimeout(now);
    if (verdict === 'retransmit') this.retransmit();
    else if (verdict === 'give-up')
      this.fail(new DtlsError('handshake-timeout', 'peer stopped answering'), false);
  }

  // ---- input ---------------------------------------------------------------------------------

  /** Processes one received datagram. Never throws: bad input is dropped and counted. */
  handle(datagram: Uint8Array, now: number): void {
    if (this.currentState === 'closed' || this.currentState === 'failed') return;
    // A client that has not said hello yet has nothing to match a reply against.
    if (this.currentState === 'new' && this.role === 'client') return;
    const buf = Buffer.isBuffer(datagram)
      ? datagram
      : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    this.stats.datagramsReceived++;
    try {
      if (!this.admit(buf, now)) return;
      this.handleRecords(buf, now);
    } catch (e) {
      if (e instanceof DtlsError) this.fail(e, true);
      else this.fail(new DtlsError('internal-error', String(e)), true);
    }
  }

  private handleRecords(buf: Buffer, now: number): void {
    const { records, malformed } = parseDatagram(buf);
    if (malformed) {
      this.stats.malformedDropped++;
      this.stats.recordsDropped++;
    }
    let retransmitRequested = false;
    for (const record of records) {
      if (this.currentState === 'closed' || this.currentState === 'failed') return;
      if (this.handleRecord(record, now)) retransmitRequested = true;
      // Records of the next epoch that overtook the key exchange can be read now.
      if (this.earlyRecords.length > 0 && this.records.hasReadEpoch(1)) {
        for (const early of this.earlyRecords.splice(0)) {
          if (this.currentState !== 'handshaking' && this.currentState !== 'connected') break;
          if (this.handleRecord(early, now)) retransmitRequested = true;
        }
      }
    }
    // RFC 6347 4.2.4: a retransmitted peer flight means ours was lost; answer once per datagram.
    if (retransmitRequested) this.retransmit();
  }

  /** Returns true when the record repeats a handshake message already processed. */
  private handleRecord(record: DtlsRecord, now: number): boolean {
    // RFC 6347 4.1: once connected only the handshake's retransmissions may still come unprotected;
    // a plaintext alert or CCS there would let an off-path sender tear the connection down.
    if (this.currentState === 'connected' && record.epoch === 0 && record.type !== ContentType.handshake) {
      this.stats.recordsDropped++;
      return false;
    }
    const opened = this.records.unprotect(record);
    if (typeof opened === 'string') {
      // RFC 6347 4.1: the next epoch's records may arrive before the keys exist; keep a few.
      if (
        opened === 'unknown-epoch' &&
        record.epoch === 1 &&
        this.currentState === 'handshaking' &&
        this.earlyRecords.length < MAX_EARLY_RECORDS
      ) {
        this.earlyRecords.push(record);
        return false;
      }
      this.stats.recordsDropped++;
      if (opened === 'replay') this.stats.replaysDropped++;
      if (opened === 'bad-auth') this.stats.authFailures++;
      return false;
    }
    switch (opened.type) {
      case ContentType.handshake:
        return this.handleHandshakeRecord(opened.data, opened.epoch, now);
      case ContentType.change_cipher_spec:
        // RFC 6347 4.1: the epoch in each record says which keys apply; CCS carries no other meaning here.
        if (opened.data.length !== 1 || opened.data[0] !== 1) this.stats.recordsDropped++;
        return false;
      case ContentType.alert:
        this.handleAlert(opened.data);
        return false;
      case ContentType.application_data:
        if (this.currentState === 'connected' && opened.epoch > 0) {
          this.emit({ type: 'data', data: opened.data });
        } else if (
          opened.epoch > 0 &&
          this.currentState === 'handshaking' &&
          this.earlyData.length < MAX_EARLY_RECORDS
        ) {
          // Authenticated with this handshake's keys but ahead of the peer's Finished: hold it until
          // the Finished verifies, then deliver (never before).
          this.earlyData.push(opened.data);
        } else {
          this.stats.recordsDropped++;
        }
        return false;
    }
    return false;
  }

  /** Returns true when the record repeated a message we already processed. */
  private handleHandshakeRecord(data: Buffer, epoch: number, now: number): boolean {
    let fragments: ReturnType<typeof parseHandshakeFragments>;
    try {
      fragments = parseHandshakeFragments(data);
    } catch (e) {
      if (!(e instanceof DtlsParseError)) throw e;
      this.stats.malformedDropped++;
      this.stats.recordsDropped++;
      return false;
    }
    let old = false;
    for (const f of fragments) {
      const verdict = this.reassembler.add(f, epoch);
      if (verdict === 'old') old = true;
      else if (verdict === 'dropped') this.stats.recordsDropped++;
    }
    for (let msg = this.reassembler.next(); msg; msg = this.reassembler.next()) {
      if (this.currentState === 'connected') {
        this.refuseRenegotiation();
        continue;
      }
      const whole = encodeWholeMessage(msg.msgType, msg.messageSeq, msg.body);
      this.onHandshakeMessage(msg, whole, now);
      if (this.currentState !== 'handshaking') break;
    }
    return old;
  }

  /** RFC 5746 4.2 / 4.4: we never renegotiate; a warning lets the peer carry on with the current keys. */
  private refuseRenegotiation(): void {
    log('%s refuses renegotiation', this.role);
    this.sendAlert(AlertLevel.warning, AlertDescription.no_renegotiation);
  }

  private handleAlert(data: Buffer): void {
    let alert: ReturnType<typeof parseAlert>;
    try {
      alert = parseAlert(data);
    } catch {
      this.stats.malformedDropped++;
      return;
    }
    if (alert.description === AlertDescription.close_notify) {
      // RFC 5246 7.2.1: answer close_notify with our own and drop the connection.
      if (this.currentState === 'connected')
        this.sendAlert(AlertLevel.warning, AlertDescription.close_notify);
      this.timer.stop();
      this.currentState = 'closed';
      this.emit({ type: 'closed', initiator: 'remote' });
      return;
    }
    if (alert.level === AlertLevel.fatal) {
      this.timer.stop();
      this.currentState = 'failed';
      this.emit({
        type: 'error',
        error: new DtlsError(
          'alert-received',
          `peer sent fatal alert ${alert.description}`,
          alert.description,
        ),
      });
    }
  }

  // ---- key schedule (RFC 5246 8.1, RFC 7627 4, RFC 5246 6.3) ---------------------------------------

  /** Derives the extended master secret from the transcript up to ClientKeyExchange and installs epoch 1. */
  protected establishKeys(preMasterSecret: Buffer): void {
    const suite = this.suite!;
    const sessionHash = this.transcript.digest(suite.prfHash);
    this.masterSecret = ownedCopy(extendedMasterSecret(suite.prfHash, preMasterSecret, sessionHash));
    this.options.keyLog?.(
      `CLIENT_RANDOM ${this.clientRandom!.toString('hex')} ${this.masterSecret.toString('hex')}`,
    );
    const kb = expandKeyBlock(
      suite.prfHash,
      this.masterSecret,
      this.clientRandom!,
      this.serverRandom!,
      suite.keyLength,
      suite.fixedIvLength,
    );
    const client = new Dtls12RecordAead(suite.aead, kb.clientWriteKey, kb.clientWriteIv);
    const server = new Dtls12RecordAead(suite.aead, kb.serverWriteKey, kb.serverWriteIv);
    const [mine, theirs] = this.role === 'client' ? [client, server] : [server, client];
    this.records.installWriteEpoch(1, mine);
    this.records.installReadEpoch(1, theirs);
  }

  protected computeVerifyData(who: DtlsRole): Buffer {
    const suite = this.suite!;
    // Owned: our Finished stays in the last flight for the connection's lifetime (retransmission).
    return ownedCopy(
      finishedVerifyData(suite.prfHash, this.masterSecret!, who, this.transcript.digest(suite.prfHash)),
    );
  }

  /** RFC 5246 7.4.9, compared in constant time. */
  protected checkPeerFinished(msg: HandshakeMessage): void {
    if (msg.epoch === 0) throw new DtlsError('unexpected-message', 'Finished arrived unprotected');
    const expected = this.computeVerifyData(this.role === 'client' ? 'server' : 'client');
    if (msg.body.length !== expected.length || !timingSafeEqual(msg.body, expected)) {
      throw new DtlsError('bad-finished', 'peer Finished does not match the transcript');
    }
  }

  /** Fingerprint check against the SDP values, before anything trusts the key (RFC 8842 5, RFC 5763 5). */
  protected checkPeerFingerprint(der: Buffer): void {
    if (!matchesAnyFingerprint(der, this.options.remoteFingerprints)) {
      throw new DtlsError('fingerprint-mismatch', 'peer certificate does not match the expected fingerprint');
    }
  }

  protected becomeConnected(): void {
    this.currentState = 'connected';
    this.earlyRecords.length = 0;
    // Retransmissions resend the encoded last flight; nothing reads the transcript any more.
    this.transcript.clear();
    this.releaseHandshakeState();
    this.emit({
      type: 'connected',
      cipherSuite: this.suite!.name,
      srtpProfile: this.srtpProfile,
      peerCertificate: this.peerCertificate!,
    });
    for (const data of this.earlyData.splice(0)) this.emit({ type: 'data', data });
  }

  // ---- application API -----------------------------------------------------------------------

  /** Sends one application data record. Throws when not connected or when the data cannot fit a record. */
  send(data: Uint8Array): void {
    if (this.currentState !== 'connected') throw new Error(`cannot send in state ${this.currentState}`);
    if (data.length > MAX_APPLICATION_DATA) throw new RangeError('application data larger than one record');
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.enqueue(this.records.protect(this.records.writeEpoch, ContentType.application_data, buf));
  }

  /** Sends close_notify (RFC 5246 7.2.1) and closes. */
  close(): void {
    if (this.currentState === 'closed' || this.currentState === 'failed') return;
    if (this.currentState !== 'new') this.sendAlert(AlertLevel.warning, AlertDescription.close_notify);
    this.timer.stop();
    this.currentState = 'closed';
    this.emit({ type: 'closed', initiator: 'local' });
  }

  /** RFC 5705 keying material exporter, e.g. ("EXTRACTOR-dtls_srtp", 60) for RFC 5764 4.2. */
  exportKeyingMaterial(label: string, length: number, context?: Uint8Array): Buffer {
    if (this.currentState !== 'connected' || !this.masterSecret) {
      throw new Error('keying material is only available once connected');
    }
    return exportKeyingMaterial(
      this.suite!.prfHash,
      this.masterSecret,
      label,
      this.clientRandom!,
      this.serverRandom!,
      length,
      context,
    );
  }

  /** RFC 5764 4.2: SRTP master keys and salts for the negotiated profile, split by direction. */
  srtpKeyingMaterial(): SrtpKeyingMaterial {
    if (this.srtpProfile === undefined) throw new Error('no SRTP profile was negotiated');
    return splitSrtpKeyingMaterial(this.srtpProfile, this.role, (n) =>
      this.exportKeyingMaterial('EXTRACTOR-dtls_srtp', n),
    );
  }

  /**
   * Sets the expected peer fingerprints when they become known after construction (the remote SDP
   * may arrive after the transport exists). They are checked when the peer's Certificate arrives.
   */
  setRemoteFingerprints(fingerprints: readonly DtlsFingerprint[]): void {
    this.options.remoteFingerprints = [...fingerprints];
  }

  get localCertificate(): DtlsCertificate {
    return this.options.certificate;
  }

  /** The negotiated cipher suite's IANA name (as RTCTransportStats.dtlsCipher reports it). */
  get negotiatedCipherSuite(): string | undefined {
    return this.currentState === 'connected' ? this.suite?.name : undefined;
  }

  /** RTCTransportStats.tlsVersion: the record version in hex, 'FEFD' for DTLS 1.2. */
  get tlsVersion(): string | undefined {
    return this.currentState === 'connected' ? this.records.version.toString(16).toUpperCase() : undefined;
  }

  /** The negotiated SRTP profile, once connected. */
  get negotiatedSrtpProfile(): number | undefined {
    return this.srtpProfile;
  }

  get remoteCertificate(): Buffer | undefined {
    return this.currentState === 'connected' ? this.peerCertificate : undefined;
  }

  // ---- failure -------------------------------------------------------------------------------

  protected sendAlert(level: number, description: number): void {
    try {
      this.enqueue(
        this.records.protect(this.records.writeEpoch, ContentType.alert, encodeAlert({ level, description })),
      );
    } catch {
      // The sequence space is exhausted; there is nothing more we can say.
    }
  }

  /** Fatal failure: alert the peer (RFC 5246 7.2.2), stop timers, report a typed error. */
  protected fail(error: DtlsError, alertPeer: boolean): void {
    if (this.currentState === 'failed' || this.currentState === 'closed') return;
    log('%s fails: %s (%s)', this.role, error.reason, error.message);
    if (alertPeer) this.sendAlert(AlertLevel.fatal, error.alert);
    this.timer.stop();
    this.lastFlight = undefined;
    this.earlyRecords.length = 0;
    this.earlyData.length = 0;
    this.currentState = 'failed';
    this.emit({ type: 'error', error });
  }
}
