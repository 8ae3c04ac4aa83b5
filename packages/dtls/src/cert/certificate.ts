import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { ownedCopy } from '../bytes.js';
import {
  bitString,
  explicit,
  nullValue,
  objectIdentifier,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';
import { type DtlsFingerprint, type FingerprintAlgorithm, fingerprint } from './fingerprint.js';
import { P256_SPKI_PREFIX } from './spki.js';

export type CertificateKeyType = 'ecdsa' | 'rsa';

/** Like the W3C RTCCertificate: a key pair, its self-signed certificate, an expiry and fingerprints. */
export class DtlsCertificate {
  /** Milliseconds since the epoch after which the certificate is not valid (RTCCertificate.expires). */
  readonly expires: number;
  readonly keyType: CertificateKeyType;
  readonly publicKey: KeyObject;

  constructor(
    /** The DER certificate, leaf only: WebRTC authenticates by fingerprint, not by chain. */
    readonly der: Buffer,
    readonly privateKey: KeyObject,
    /** What `generateCertificate` already knows, so its own output is not parsed again. */
    generated?: {
      readonly publicKey: KeyObject;
      readonly keyType: CertificateKeyType;
      readonly expires: number;
    },
  ) {
    if (generated) {
      this.publicKey = generated.publicKey;
      this.keyType = generated.keyType;
      this.expires = generated.expires;
      return;
    }
    const x509 = new X509Certificate(der);
    this.publicKey = x509.publicKey;
    if (!x509.checkPrivateKey(privateKey)) throw new Error('private key does not match the certificate');
    const type = privateKey.asymmetricKeyType;
    if (type !== 'ec' && type !== 'rsa') throw new Error(`unsupported certificate key type ${type}`);
    this.keyType = type === 'ec' ? 'ecdsa' : 'rsa';
    this.expires = Date.parse(x509.validTo);
  }

  getFingerprints(algorithms: readonly FingerprintAlgorithm[] = ['sha-256']): DtlsFingerprint[] {
    return algorithms.map((a) => fingerprint(this.der, a));
  }

  /** PEM forms, for handing the same identity to another program (OpenSSL in the interop tests). */
  toPem(): { cert: string; key: string } {
    const b64 = this.der
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n');
    return {
      cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
      key: this.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }

  static fromPem(certPem: string, keyPem: string): DtlsCertificate {
    const der = new X509Certificate(certPem).raw;
    return new DtlsCertificate(der, createPrivateKey(keyPem));
  }
}

export interface GenerateCertificateOptions {
  keyType?: CertificateKeyType;
  /** The current time in ms since the epoch; the core never reads the clock itself. */
  now: number;
  /** RTCCertificate's default lifetime is 30 days. */
  validityMs?: number;
  commonName?: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const DAY_MS = 86_400_000;

/** RFC 5280 4.1: a v3 self-signed certificate, encoded by hand and signed by node:crypto. */
export function generateCertificate(options: GenerateCertificateOptions): DtlsCertificate {
  const keyType = options.keyType ?? 'ecdsa';
  const { publicKey, privateKey } =
    keyType === 'ecdsa'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const algorithm =
    keyType === 'ecdsa'
      ? sequence(objectIdentifier(ECDSA_WITH_SHA256))
      : sequence(objectIdentifier(SHA256_WITH_RSA), nullValue());
  const name = sequence(
    set(sequence(objectIdentifier(COMMON_NAME), utf8String(options.commonName ?? 'WebRTC'))),
  );
  const serial = randomBytes(8);
  serial[0]! &= 0x7f;
  // Back-date by a day so peers with a slightly slow clock still accept it.
  const notBefore = options.now - DAY_MS;
  const notAfter = options.now + (options.validityMs ?? 30 * DAY_MS);
  const spki = keyType === 'ecdsa' ? p256Spki(publicKey) : publicKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = ownedCopy(sequence(tbs, algorithm, bitString(signature)));
  // notAfter as encoded: time() keeps whole seconds.
  const expires = Math.floor(notAfter / 1000) * 1000;
  return new DtlsCertificate(der, privateKey, { publicKey, keyType, expires });
}

/** RFC 5480 2 SubjectPublicKeyInfo from the key's coordinates (OpenSSL 3's DER encoder is slow). */
function p256Spki(publicKey: KeyObject): Buffer {
  const { x, y } = publicKey.export({ format: 'jwk' });
  if (x === undefined || y === undefined) throw new Error('P-256 key without coordinates');
  return Buffer.concat([
    P256_SPKI_PREFIX,
    Buffer.from([4]),
    Buffer.from(x, 'base64url'),
    Buffer.from(y, 'base64url'),
  ]);
}
