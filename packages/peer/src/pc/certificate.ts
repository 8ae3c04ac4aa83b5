import { type DtlsCertificate, generateCertificate } from '@purertc/dtls';
import { notSupportedError } from '../errors.js';

/** W3C webrtc-pc 4.9 AlgorithmIdentifier for generateCertificate (the forms browsers accept). */
export type RTCCertificateKeygenAlgorithm =
  | 'ECDSA'
  | { name: 'ECDSA'; namedCurve?: 'P-256' }
  | {
      name: 'RSASSA-PKCS1-v1_5';
      modulusLength?: number;
      hash?: string;
      publicExponent?: Uint8Array;
      expires?: number;
    }
  | { name: string; namedCurve?: string; expires?: number };

/** W3C webrtc-pc 4.9 RTCCertificate. */
export class RTCCertificate {
  /** @internal */
  readonly dtls: DtlsCertificate;

  constructor(dtls: DtlsCertificate) {
    this.dtls = dtls;
  }

  get expires(): number {
    return this.dtls.expires;
  }

  getFingerprints(): { algorithm: string; value: string }[] {
    return this.dtls
      .getFingerprints(['sha-256'])
      .map((f) => ({ algorithm: f.algorithm, value: f.value.toLowerCase() }));
  }
}

/** Generates a certificate valid from `now` (epoch ms) for 30 days, or `expires` ms. */
export function createCertificate(algorithm: RTCCertificateKeygenAlgorithm, now: number): RTCCertificate {
  const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
  const expires = typeof algorithm === 'object' && 'expires' in algorithm ? algorithm.expires : undefined;
  let keyType: 'ecdsa' | 'rsa';
  if (name.toUpperCase() === 'ECDSA') {
    const curve = typeof algorithm === 'object' && 'namedCurve' in algorithm ? algorithm.namedCurve : 'P-256';
    if (curve !== undefined && curve !== 'P-256') throw notSupportedError(`curve ${curve} is not supported`);
    keyType = 'ecdsa';
  } else if (name.toUpperCase() === 'RSASSA-PKCS1-V1_5') keyType = 'rsa';
  else throw notSupportedError(`algorithm ${name} is not supported`);
  return new RTCCertificate(
    generateCertificate({ keyType, now, ...(expires !== undefined ? { validityMs: expires } : {}) }),
  );
}
