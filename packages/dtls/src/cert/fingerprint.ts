import { createHash, timingSafeEqual } from 'node:crypto';

/** Hash functions SDP's a=fingerprint uses in practice (RFC 8122 5). */
export type FingerprintAlgorithm = 'sha-256' | 'sha-384' | 'sha-512';

/** As an SDP a=fingerprint line or RTCDtlsFingerprint gives it: `{ algorithm: 'sha-256', value: 'AB:CD:…' }`. */
export interface DtlsFingerprint {
  algorithm: FingerprintAlgorithm | (string & {});
  value: string;
}

const NODE_HASH: Record<FingerprintAlgorithm, string> = {
  'sha-256': 'sha256',
  'sha-384': 'sha384',
  'sha-512': 'sha512',
};

export function isFingerprintAlgorithm(a: string): a is FingerprintAlgorithm {
  return a in NODE_HASH;
}

/** The fingerprint of a DER certificate, upper-case hex pairs joined by colons. */
export function fingerprint(
  certDer: Uint8Array,
  algorithm: FingerprintAlgorithm = 'sha-256',
): DtlsFingerprint {
  const hex = createHash(NODE_HASH[algorithm]).update(certDer).digest('hex').toUpperCase();
  return { algorithm, value: hex.match(/../g)!.join(':') };
}

function parseHexFingerprint(value: string): Buffer | undefined {
  const clean = value.trim();
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(clean)) return undefined;
  return Buffer.from(clean.replace(/:/g, ''), 'hex');
}

/**
 * True when the certificate matches at least one expected fingerprint with a hash we support
 * (RFC 8122 5: any matching fingerprint authenticates; unknown hashes are skipped).
 */
export function matchesAnyFingerprint(certDer: Uint8Array, expected: readonly DtlsFingerprint[]): boolean {
  let match = false;
  for (const fp of expected) {
    const algorithm = fp.algorithm.toLowerCase();
    if (!isFingerprintAlgorithm(algorithm)) continue;
    const want = parseHexFingerprint(fp.value);
    if (!want) continue;
    const have = createHash(NODE_HASH[algorithm]).update(certDer).digest();
    if (want.length === have.length && timingSafeEqual(want, have)) match = true;
  }
  return match;
}
