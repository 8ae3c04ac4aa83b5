import { type KeyObject, randomBytes } from 'node:crypto';
import { ownedCopy } from './bytes.js';
import { certificatePublicKey } from './cert/spki.js';
import { DtlsConnection } from './connection.js';
import { ClientCertificateType, DTLS_1_2, ExtensionType, HandshakeType } from './constants.js';
import { type EphemeralKey, generateEphemeralKey, isSupportedGroup } from './crypto/ecdhe.js';
import {
  chooseScheme,
  SUPPORTED_SIGNATURE_SCHEMES,
  signWithScheme,
  verifyWithScheme,
} from './crypto/signature.js';
import { cipherSuiteInfo } from './crypto/suites.js';
import { DtlsError } from './errors.js';
import type { FlightMessage } from './flight/flight.js';
import { CookieAuthority } from './handshake/cookie.js';
import {
  type Extension,
  ecPointFormats,
  extendedMasterSecretExt,
  findExtension,
  renegotiationInfo,
  signatureAlgorithms,
  supportedGroups,
  useSrtp,
} from './handshake/extensions.js';
import { encodeWholeMessage } from './handshake/fragment.js';
import { inspectClientHello } from './handshake/hello-verifier.js';
import { encodeCertificate, parseCertificate } from './handshake/messages/certificate.js';
import { encodeCertificateRequest } from './handshake/messages/certificate-request.js';
import { parseCertificateVerify } from './handshake/messages/certificate-verify.js';
import { parseClientHello } from './handshake/messages/client-hello.js';
import { parseClientKeyExchange } from './handshake/messages/client-key-exchange.js';
import { encodeServerHello } from './handshake/messages/server-hello.js';
import {
  encodeServerKeyExchange,
  serverKeyExchangeSignedData,
} from './handshake/messages/server-key-exchange.js';
import type { HandshakeMessage } from './handshake/reassembler.js';
import type { DtlsConnectionOptions } from './options.js';

type ServerStep =
  | 'client-hello'
  | 'certificate'
  | 'client-key-exchange'
  | 'certificate-verify'
  | 'finished'
  | 'done';

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 3.3) signals secure renegotiation like the extension. */
const RENEGOTIATION_SCSV = 0x00ff;

/** The DTLS 1.2 server (RFC 6347 4.2.4 flights 2, 4 and 6). Always requests the client's certificate. */
export class DtlsServer extends DtlsConnection {
  readonly role = 'server' as const;
  private step: ServerStep = 'client-hello';
  private readonly cookies: CookieAuthority | undefined;
  private cookieAccepted = false;
  private eph: EphemeralKey | undefined;
  private peerKey: KeyObject | undefined;

  constructor(options: Omit<DtlsConnectionOptions, 'role'>) {
    super({ ...options, role: 'server' });
    if (options.requireCookie !== false) {
      this.cookies = new CookieAuthority(Buffer.from(options.cookieSecret ?? randomBytes(32)));
    }
  }

  /** The server waits for a ClientHello; nothing goes out until one arrives. */
  start(_now: number): void {
    if (this.state === 'new') this.setState('handshaking');
  }

  /** The random of the ClientHello this connection answered, to tell a restarted client apart. */
  get clientHelloRandom(): Buffer | undefined {
    return this.clientRandom;
  }

  /** True until a ClientHello with a valid cookie arrived: no per-client state exists until then. */
  get awaitingCookie(): boolean {
    return this.cookies !== undefined && !this.cookieAccepted;
  }

  protected override admit(datagram: Buffer, _now: number): boolean {
    if (this.state === 'new') this.setState('handshaking');
    if (!this.awaitingCookie) return true;
    const verdict = inspectClientHello(datagram, this.options.peerAddress ?? '', this.cookies!);
    if (verdict.action === 'reply') {
      this.stats.helloVerifyRequestsSent++;
      this.enqueue(verdict.datagram);
      return false;
    }
    if (verdict.action === 'drop') {
      this.stats.recordsDropped++;
      return false;
    }
    this.cookieAccepted = true;
    // RFC 6347 4.2.2: after a stateless exchange the server's message_seq follows the client's.
    this.reassembler.setExpectedSeq(verdict.messageSeq);
    this.nextSendSeq = verdict.messageSeq;
    this.records.advanceWriteSeq(0, verdict.recordSeq);
    return true;
  }

  protected dispatchHandshake(msg: HandshakeMessage, whole: Buffer, now: number): void {
    const t = msg.msgType;
    switch (this.step) {
      case 'client-hello':
        if (t === HandshakeType.client_hello) {
          this.onClientHello(msg, whole, now);
          return;
        }
        break;
      case 'certificate':
        if (t === HandshakeType.certificate) {
          this.onCertificate(msg, whole);
          return;
        }
        // WebRTC is mutual (RFC 8827 6.5): a client that skips its certificate is refused.
        if (t === HandshakeType.client_key_exchange) {
          throw new DtlsError('missing-certificate', 'client did not send a certificate');
        }
        break;
      case 'client-key-exchange':
        if (t === HandshakeType.client_key_exchange) {
          this.onClientKeyExchange(msg, whole);
          return;
        }
        break;
      case 'certificate-verify':
        if (t === HandshakeType.certificate_verify) {
          this.onCertificateVerify(msg, whole);
          return;
        }
        if (t === HandshakeType.finished) {
          throw new DtlsError('missing-certificate', 'client did not prove possession of its key');
        }
        break;
      case 'finished':
        if (t === HandshakeType.finished) {
          this.onFinished(msg, whole, now);
          return;
        }
        break;
      case 'done':
        break;
    }
    throw new DtlsError(
      'unexpected-message',
      `unexpected handshake message ${t} while waiting for ${this.step}`,
    );
  }

  private onClientHello(msg: HandshakeMessage, whole: Buffer, now: number): void {
    const ch = parseClientHello(msg.body);
    const o = this.options;
    // DTLS versions count down: 0xfefd (1.2) < 0xfeff (1.0). Chrome says 1.2 here and 1.3 only in supported_versions.
    if (ch.version > DTLS_1_2) throw new DtlsError('protocol-version', 'client does not offer DTLS 1.2');
    if (!ch.compressionMethods.includes(0)) throw new DtlsError('illegal-parameter', 'no null compression');
    const ext = (type: number): Extension | undefined => findExtension(ch.extensions, type);
    if (!ext(ExtensionType.extended_master_secret)) {
      // RFC 7627 5.3: we require the extended master secret.
      throw new DtlsError('handshake-failure', 'client does not offer extended master secret');
    }
    const reneg = ext(ExtensionType.renegotiation_info);
    if (reneg && renegotiationInfo.decode(reneg).length !== 0) {
      throw new DtlsError('handshake-failure', 'non-empty renegotiation_info on an initial handshake');
    }
    const authType = o.certificate.keyType;
    const suiteId = o.cipherSuites.find(
      (s) => ch.cipherSuites.includes(s) && cipherSuiteInfo(s)?.auth === authType,
    );
    const suite = suiteId === undefined ? undefined : cipherSuiteInfo(suiteId);
    if (!suite) throw new DtlsError('no-shared-cipher', 'no cipher suite in common');
    const groupsExt = ext(ExtensionType.supported_groups);
    // RFC 8422 4: without the extension any curve goes; P-256 is the safe choice.
    const offeredGroups = groupsExt ? supportedGroups.decode(groupsExt) : [0x0017];
    const group = o.groups.find((g) => offeredGroups.includes(g) && isSupportedGroup(g));
    if (group === undefined || !isSupportedGroup(group))
      throw new DtlsError('handshake-failure', 'no group in common');
    const pointsExt = ext(ExtensionType.ec_point_formats);
    if (pointsExt && !ecPointFormats.decode(pointsExt).includes(0)) {
      throw new DtlsError('illegal-parameter', 'client cannot take uncompressed points');
    }
    const sigExt = ext(ExtensionType.signature_algorithms);
    const scheme = chooseScheme(
      o.certificate.privateKey,
      sigExt ? signatureAlgorithms.decode(sigExt) : undefined,
    );
    if (scheme === undefined) throw new DtlsError('handshake-failure', 'no signature scheme in common');
    const srtpExt = ext(ExtensionType.use_srtp);
    if (srtpExt) {
      const offered = useSrtp.decode(srtpExt).profiles;
      // RFC 5764 4.1.1: the server picks; our list gives the preference order.
      this.srtpProfile = o.srtpProfiles.find((p) => offered.includes(p));
    }

    this.suite = suite;
    this.clientRandom = ownedCopy(ch.random);
    this.serverRandom = o.randomBytes(32);
    this.transcript.add(whole);

    const extensions: Extension[] = [];
    if (reneg || ch.cipherSuites.includes(RENEGOTIATION_SCSV)) extensions.push(renegotiationInfo.encode());
    extensions.push(extendedMasterSecretExt.encode());
    if (this.srtpProfile !== undefined) {
      extensions.push(useSrtp.encode({ profiles: [this.srtpProfile], mki: Buffer.alloc(0) }));
    }
    if (pointsExt) extensions.push(ecPointFormats.encode());

    this.eph = generateEphemeralKey(group);
    const signed = serverKeyExchangeSignedData(
      this.clientRandom,
      this.serverRandom,
      group,
      this.eph.publicKey,
    );
    const signature = signWithScheme(scheme, o.certificate.privateKey, signed);

    const flight: FlightMessage[] = [
      this.handshakeMessage(
        0,
        HandshakeType.server_hello,
        encodeServerHello({
          version: DTLS_1_2,
          random: this.serverRandom,
          sessionId: Buffer.alloc(0),
          cipherSuite: suite.id,
          compressionMethod: 0,
          extensions,
        }),
      ),
      this.handshakeMessage(0, HandshakeType.certificate, encodeCertificate([o.certificate.der])),
      this.handshakeMessage(
        0,
        HandshakeType.server_key_exchange,
        encodeServerKeyExchange({ group, publicKey: this.eph.publicKey, scheme, signature }),
      ),
      this.handshakeMessage(
        0,
        HandshakeType.certificate_request,
        encodeCertificateRequest({
          certificateTypes: [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
          signatureSchemes: [...SUPPORTED_SIGNATURE_SCHEMES],
          authorities: Buffer.alloc(0),
        }),
      ),
      this.handshakeMessage(0, HandshakeType.server_hello_done, Buffer.alloc(0)),
    ];
    for (const m of flight) {
      if (m.kind === 'handshake') this.transcript.add(encodeWholeMessage(m.msgType, m.messageSeq, m.body));
    }
    this.step = 'certificate';
    this.sendFlight(flight, now, true);
  }

  private onCertificate(msg: HandshakeMessage, whole: Buffer): void {
    const chain = parseCertificate(msg.body);
    const leaf = chain[0];
    if (!leaf) throw new DtlsError('missing-certificate', 'client sent an empty certificate list');
    this.checkPeerFingerprint(leaf);
    let key: KeyObject;
    try {
      key = certificatePublicKey(leaf);
    } catch {
      throw new DtlsError('bad-certificate', 'client certificate does not parse');
    }
    this.peerKey = key;
    this.peerCertificate = ownedCopy(leaf);
    this.stopRetransmitting();
    this.transcript.add(whole);
    this.step = 'client-key-exchange';
  }

  private onClientKeyExchange(msg: HandshakeMessage, whole: Buffer): void {
    const pub = parseClientKeyExchange(msg.body);
    let preMaster: Buffer;
    try {
      preMaster = this.eph!.deriveSharedSecret(pub);
    } catch {
      throw new DtlsError('illegal-parameter', 'client ECDHE public value is invalid');
    }
    this.transcript.add(whole);
    this.establishKeys(preMaster);
    this.step = 'certificate-verify';
  }

  private onCertificateVerify(msg: HandshakeMessage, whole: Buffer): void {
    const cv = parseCertificateVerify(msg.body);
    // RFC 5246 7.4.8: the client proves it holds the certificate's key by signing the transcript.
    if (!verifyWithScheme(cv.scheme, this.peerKey!, this.transcript.bytes(), cv.signature)) {
      throw new DtlsError('bad-signature', 'CertificateVerify signature does not verify');
    }
    this.transcript.add(whole);
    this.step = 'finished';
  }

  protected override releaseHandshakeState(): void {
    this.eph = undefined;
    this.peerKey = undefined;
  }

  private onFinished(msg: HandshakeMessage, whole: Buffer, now: number): void {
    this.checkPeerFinished(msg);
    this.transcript.add(whole);
    const finished = this.handshakeMessage(1, HandshakeType.finished, this.computeVerifyData('server'));
    this.records.writeEpoch = 1;
    this.step = 'done';
    // Flight 6 is the last: no timer, resent only when the client repeats flight 5 (RFC 6347 4.2.4).
    this.sendFlight([{ kind: 'change_cipher_spec', epoch: 0 }, finished], now, false);
    this.becomeConnected();
  }
}
