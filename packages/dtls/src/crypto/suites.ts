import { CipherSuite, type CipherSuiteId } from '../constants.js';
import type { PrfHash } from './prf.js';

export type AeadAlgorithm = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export interface CipherSuiteInfo {
  id: CipherSuiteId;
  name: string;
  /** Which certificate key type can authenticate this suite. */
  auth: 'ecdsa' | 'rsa';
  aead: AeadAlgorithm;
  prfHash: PrfHash;
  keyLength: number;
  /** RFC 5288 3: 4-byte salt for GCM; RFC 7905 2: the whole 12-byte nonce for ChaCha20-Poly1305. */
  fixedIvLength: number;
}

function suite(
  id: CipherSuiteId,
  name: string,
  auth: 'ecdsa' | 'rsa',
  aead: AeadAlgorithm,
  prfHash: PrfHash,
): CipherSuiteInfo {
  const keyLength = aead === 'aes-128-gcm' ? 16 : 32;
  const fixedIvLength = aead === 'chacha20-poly1305' ? 12 : 4;
  return { id, name, auth, aead, prfHash, keyLength, fixedIvLength };
}

export const CIPHER_SUITES: readonly CipherSuiteInfo[] = [
  suite(
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'ecdsa',
    'aes-128-gcm',
    'sha256',
  ),
  suite(
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    'ecdsa',
    'aes-256-gcm',
    'sha384',
  ),
  suite(
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'ecdsa',
    'chacha20-poly1305',
    'sha256',
  ),
  suite(
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'rsa',
    'aes-128-gcm',
    'sha256',
  ),
  suite(
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    'rsa',
    'aes-256-gcm',
    'sha384',
  ),
  suite(
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    'rsa',
    'chacha20-poly1305',
    'sha256',
  ),
];

export function cipherSuiteInfo(id: number): CipherSuiteInfo | undefined {
  return CIPHER_SUITES.find((s) => s.id === id);
}
