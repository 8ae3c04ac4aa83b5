import type { KeyObject } from 'node:crypto';
import { ownedCopy } from './bytes.js';
import { certificatePublicKey } from './cert/spki.js';
import { DtlsConnection } from './connection.js';
import { DTLS_1_2, ExtensionType, HandshakeType } from './constants.js';
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
import {
  ecPointFormats,
  extendedMasterSecretExt,
  findExtension,
  renegotiationInfo,
  signatureAlgorithms,
  supportedGroups,
  useSrtp,
} from './handshake/extensions.js';
import { encodeWholeMessage } from './handshake/fragment.js';
import { encodeCertificate, parseCertificate } from './handshake/messages/certificate.js';
import { parseCertificateRequest } from './handshake/messages/certificate-request.js';
import { encodeCertificateVerify } from './handshake/messages/certificate-verify.js';
import { type ClientHello, encodeClientHello } from './handshake/messages/client-hello.js';
import { encodeClientKeyExchange } from './handshake/messages/client-key-exchange.js';
import { parseHelloVerifyRequest } from './handshake/messages/hello-verify-request.js';
import { parseServerHello } from './handshake/messages/server-hello.js';
import {
  parseServerKeyExchange,
  serverKeyExchangeSignedData,
} from './handshake/messages/server-key-exchange.js';
import type { HandshakeMessage } from './handshake/reassembler.js';
import type { DtlsConnectionOptions } from './options.js';

type ClientStep =
  | 'server-hello'
  | 'certificate'
  | 'server-key-exchange'
  | 'certificate-request-or-done'
  | 'server-hello-done'
  | 'finished';

/** The DTLS 1.2 client (RFC 6347 4.2.4 flights 1, 3 and 5). */
export class DtlsClient extends DtlsConnection {
  readonly role = 'client' as const;
  private step: ClientStep = 'server-hello';
  private hello: ClientHello | undefined;
  private helloWhole: Buffer | undefined;
  private peerKey: KeyObject | undefined;
  private serverPublic: { group: number; key: Buffer } | undefined;
  private certificateRequested = false;
  private requestedSchemes: number[] | undefined;

  constructor(options: Omit<DtlsConnectionOptions, 'role'>) {
    super({ ...options, role: 'client' });
  }

  start(now: number): void {
    if (this.state !== 'new') return;
    this.setState('handshaking');
    this.clientRandom = this.options.randomBytes(32);
    this.hello = this.buildClientHello(this.clientRandom);
    this.sendHello(now);
  }

  /** The first ClientHello; a subclass may reshape it (tests use this to mimic browsers). */
  protected buildClientHello(random: Buffer): ClientHello {
    const o = this.options;
    const extensions = [
      supportedGroups.encode(o.groups),
      ecPointFormats.encode(),
      signatureAlgorithms.encode(SUPPORTED_SIGNATURE_SCHEMES),
      extendedMasterSecretExt.encode(),
      renegotiationInfo.encode(),
    ];
    if (o.srtpProfiles.length > 0) {
      extensions.push(useSrtp.encode({ profiles: [...o.srtpProfiles], mki: Buffer.alloc(0) }));
    }
    return {
      version: DTLS_1_2,
      random,
      sessionId: Buffer.alloc(0),
      cookie: Buffer.alloc(0),
      cipherSuites: [...o.cipherSuites],
      compressionMethods: [0],
      extensions,
    };
  }

  private sendHello(now: number): void {
    const msg = this.handshakeMessage(0, HandshakeType.client_hello, encodeClientHello(this.hello!));
    if (msg.kind === 'handshake') this.helloWhole = encodeWholeMessage(msg.msgType, msg.messageSeq, msg.body);
    this.sendFlight([msg], now, true);
  }

  protected dispatchHandshake(msg: HandshakeMessage, whole: Buffer, now: number): void {
    const t = msg.msgType;
    switch (this.step) {
      case 'server-hello':
        if (t === HandshakeType.hello_verify_request) {
          this.onHelloVerifyRequest(msg, now);
          return;
        }
        if (t === HandshakeType.server_hello) {
          this.onServerHello(msg, whole);
          return;
        }
        break;
      case 'certificate':
        if (t === HandshakeType.certificate) {
          this.onCertificate(msg, whole);
          return;
        }
        break;
      case 'server-key-exchange':
        if (t === HandshakeType.server_key_exchange) {
          this.onServerKeyExchange(msg, whole);
          return;
        }
        break;
      case 'certificate-request-or-done':
        if (t === HandshakeType.certificate_request) {
          this.onCertificateRequest(msg, whole);
          return;
        }
        if (t === HandshakeType.server_hello_done) {
          this.onServerHelloDone(msg, whole, now);
          return;
        }
        break;
      case 'server-hello-done':
        if (t === HandshakeType.server_hello_done) {
          this.onServerHelloDone(msg, whole, now);
          return;
        }
        break;
      case 'finished':
        if (t === HandshakeType.finished) {
          this.onFinished(msg);
          return;
        }
        break;
    }
    throw new DtlsError(
      'unexpected-message',
      `unexpected handshake message ${t} while waiting for ${this.step}`,
    );
  }

  private onHelloVerifyRequest(msg: HandshakeMessage, now: number): void {
    const hvr = parseHelloVerifyRequest(msg.body);
    if (hvr.cookie.length === 0) throw new DtlsError('illegal-parameter', 'empty cookie');
    this.stopRetransmitting();
    this.hello!.cookie = hvr.cookie;
    // RFC 6347 4.2.1: a stateless server may restart its record numbering after the HelloVerifyRequest.
    this.records.resetReadWindow(0);
    this.sendHello(now);
  }

  private onServerHello(msg: HandshakeMessage, whole: Buffer): void {
    const sh = parseServerHello(msg.body);
    if (sh.version !== DTLS_1_2) throw new DtlsError('protocol-version', 'server did not choose DTLS 1.2');
    const suite = cipherSuiteInfo(sh.cipherSuite);
    if (!suite || !this.options.cipherSuites.includes(sh.cipherSuite)) {
      throw new DtlsError('illegal-parameter', 'server chose a cipher suite we did not offer');
    }
    if (sh.compressionMethod !== 0) throw new DtlsError('illegal-parameter', 'server chose compression');
    for (const e of sh.extensions) {
      // RFC 5246 7.4.1.4: a server must not answer with an extension the client did not offer.
      if (!this.hello!.extensions.some((x) => x.type === e.type))
        throw new DtlsError('illegal-parameter', `unsolicited extension ${e.type}`);
    }
    if (!findExtension(sh.extensions, ExtensionType.extended_master_secret)) {
      // RFC 7627 5.2: we abort rather than fall back to the legacy master secret.
      throw new DtlsError('handshake-failure', 'server does not support extended master secret');
    }
    const reneg = findExtension(sh.extensions, ExtensionType.renegotiation_info);
    if (reneg && renegotiationInfo.decode(reneg).length !== 0) {
      throw new DtlsError('handshake-failure', 'non-empty renegotiation_info on an initial handshake');
    }
    const srtp = findExtension(sh.extensions, ExtensionType.use_srtp);
    if (srtp) {
      const { profiles, mki } = useSrtp.decode(srtp);
      // RFC 5764 4.1.1: exactly one profile, one we offered, and our (empty) MKI echoed back.
      if (profiles.length !== 1 || !this.options.srtpProfiles.includes(profiles[0]!) || mki.length !== 0) {
        throw new DtlsError('illegal-parameter', 'server chose an SRTP profile we did not offer');
      }
      this.srtpProfile = profiles[0];
    }
    this.stopRetransmitting();
    this.suite = suite;
    this.serverRandom = ownedCopy(sh.random);
    // RFC 6347 4.2.1: the transcript starts with the ClientHello that carried the cookie.
    this.transcript.add(this.helloWhole!);
    this.transcript.add(whole);
    this.step = 'certificate';
  }

  private onCertificate(msg: HandshakeMessage, whole: Buffer): void {
    const chain = parseCertificate(msg.body);
    const leaf = chain[0];
    if (!leaf) throw new DtlsError('bad-certificate', 'server sent no certificate');
    this.checkPeerFingerprint(leaf);
    let key: KeyObject;
    try {
      key = certificatePublicKey(leaf);
    } catch {
      throw new DtlsError('bad-certificate', 'server certificate does not parse');
    }
    this.peerKey = key;
    this.peerCertificate = ownedCopy(leaf);
    this.transcript.add(whole);
    this.step = 'server-key-exchange';
  }

  private onServerKeyExchange(msg: HandshakeMessage, whole: Buffer): void {
    const ske = parseServerKeyExchange(msg.body);
    if (!isSupportedGroup(ske.group) || !this.options.groups.includes(ske.group)) {
      throw new DtlsError('illegal-parameter', 'server chose a group we did not offer');
    }
    const signed = serverKeyExchangeSignedData(
      this.clientRandom!,
      this.serverRandom!,
      ske.group,
      ske.publicKey,
    );
    // RFC 5246 7.4.3: the signature binds the ephemeral key to the certificate; without it anyone could MITM.
    if (!verifyWithScheme(ske.scheme, this.peerKey!, signed, ske.signature)) {
      throw new DtlsError('bad-signature', 'ServerKeyExchange signature does not verify');
    }
    this.serverPublic = { group: ske.group, key: Buffer.from(ske.publicKey) };
    this.transcript.add(whole);
    this.step = 'certificate-request-or-done';
  }

  private onCertificateRequest(msg: HandshakeMessage, whole: Buffer): void {
    const cr = parseCertificateRequest(msg.body);
    this.certificateRequested = true;
    this.requestedSchemes = cr.signatureSchemes;
    this.transcript.add(whole);
    this.step = 'server-hello-done';
  }

  private onServerHelloDone(msg: HandshakeMessage, whole: Buffer, now: number): void {
    if (msg.body.length !== 0) throw new DtlsError('decode-error', 'ServerHelloDone is not empty');
    this.transcript.add(whole);
    const cert = this.options.certificate;
    const flight: FlightMessage[] = [];
    const add = (m: FlightMessage) => {
      flight.push(m);
      if (m.kind === 'handshake') this.transcript.add(encodeWholeMessage(m.msgType, m.messageSeq, m.body));
    };
    if (this.certificateRequested)
      add(this.handshakeMessage(0, HandshakeType.certificate, encodeCertificate([cert.der])));
    let eph: EphemeralKey;
    let preMaster: Buffer;
    try {
      eph = generateEphemeralKey(this.serverPublic!.group as Parameters<typeof generateEphemeralKey>[0]);
      preMaster = eph.deriveSharedSecret(this.serverPublic!.key);
    } catch {
      throw new DtlsError('illegal-parameter', 'server ECDHE public value is invalid');
    }
    add(this.handshakeMessage(0, HandshakeType.client_key_exchange, encodeClientKeyExchange(eph.publicKey)));
    this.establishKeys(preMaster);
    if (this.certificateRequested) {
      const scheme = chooseScheme(cert.privateKey, this.requestedSchemes);
      if (scheme === undefined) throw new DtlsError('handshake-failure', 'no signature scheme fits our key');
      // RFC 5246 7.4.8: the signature covers every handshake message so far.
      const signature = signWithScheme(scheme, cert.privateKey, this.transcript.bytes());
      add(
        this.handshakeMessage(
          0,
          HandshakeType.certificate_verify,
          encodeCertificateVerify({ scheme, signature }),
        ),
      );
    }
    flight.push({ kind: 'change_cipher_spec', epoch: 0 });
    add(this.handshakeMessage(1, HandshakeType.finished, this.computeVerifyData('client')));
    this.records.writeEpoch = 1;
    this.step = 'finished';
    this.sendFlight(flight, now, true);
  }

  protected override releaseHandshakeState(): void {
    this.hello = undefined;
    this.helloWhole = undefined;
    this.peerKey = undefined;
    this.serverPublic = undefined;
  }

  private onFinished(msg: HandshakeMessage): void {
    this.checkPeerFinished(msg);
    this.stopRetransmitting();
    this.forgetFlight();
    this.becomeConnected();
  }
}
