import { constants, type KeyObject, sign, verify } from 'node:crypto';
import { SignatureScheme, type SignatureSchemeId } from '../constants.js';

interface SchemeInfo {
  hash: 'sha256' | 'sha384';
  keyType: 'ec' | 'rsa';
  pss: boolean;
  /** For ECDSA: the curve that the TLS 1.3 name implies; TLS 1.2 does not bind it, so we only prefer it. */
  curve?: 'prime256v1' | 'secp384r1';
}

const SCHEMES: Record<SignatureSchemeId, SchemeInfo> = {
  [SignatureScheme.ecdsa_secp256r1_sha256]: {
    hash: 'sha256',
    keyType: 'ec',
    pss: false,
    curve: 'prime256v1',
  },
  [SignatureScheme.ecdsa_secp384r1_sha384]: { hash: 'sha384', keyType: 'ec', pss: false, curve: 'secp384r1' },
  [SignatureScheme.rsa_pss_rsae_sha256]: { hash: 'sha256', keyType: 'rsa', pss: true },
  [SignatureScheme.rsa_pkcs1_sha256]: { hash: 'sha256', keyType: 'rsa', pss: false },
};

/** Our preference, best first. */
export const SUPPORTED_SIGNATURE_SCHEMES: readonly SignatureSchemeId[] = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.ecdsa_secp384r1_sha384,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pkcs1_sha256,
];

export function isSupportedScheme(s: number): s is SignatureSchemeId {
  return s in SCHEMES;
}

/** True when a key can produce or check signatures under this scheme. */
export function schemeFitsKey(scheme: SignatureSchemeId, key: KeyObject): boolean {
  const info = SCHEMES[scheme];
  if (info.keyType !== key.asymmetricKeyType) return false;
  return true;
}

/** Picks the scheme to sign with: ours in order, filtered by what the peer offered and by our key. */
export function chooseScheme(
  key: KeyObject,
  peerOffered: readonly number[] | undefined,
): SignatureSchemeId | undefined {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const candidates = SUPPORTED_SIGNATURE_SCHEMES.filter(
    (s) => schemeFitsKey(s, key) && (peerOffered === undefined || peerOffered.includes(s)),
  );
  // Prefer the hash that matches the curve size, as TLS 1.3 would require.
  const exact = candidates.find((s) => SCHEMES[s].curve === undefined || SCHEMES[s].curve === curve);
  return exact ?? candidates[0];
}

function options(info: SchemeInfo, key: KeyObject) {
  return info.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key };
}

export function signWithScheme(scheme: SignatureSchemeId, key: KeyObject, data: Uint8Array): Buffer {
  const info = SCHEMES[scheme];
  return sign(info.hash, data, options(info, key));
}

/** Never throws: a malformed signature or mismatched key simply fails to verify. */
export function verifyWithScheme(
  scheme: number,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!isSupportedScheme(scheme) || !schemeFitsKey(scheme, key)) return false;
  const info = SCHEMES[scheme];
  try {
    return verify(info.hash, data, options(info, key), signature);
  } catch {
    return false;
  }
}
