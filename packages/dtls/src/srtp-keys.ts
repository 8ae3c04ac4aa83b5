import { ownedCopy } from './bytes.js';
import { SrtpProtectionProfile } from './constants.js';

/** Master key and salt lengths per profile (RFC 5764 4.1.2, RFC 7714 12). */
const LENGTHS: Record<number, { key: number; salt: number }> = {
  [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80]: { key: 16, salt: 14 },
  [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32]: { key: 16, salt: 14 },
  [SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM]: { key: 16, salt: 12 },
  [SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM]: { key: 32, salt: 12 },
};

export interface SrtpKeyingMaterial {
  profile: number;
  localMasterKey: Buffer;
  localMasterSalt: Buffer;
  remoteMasterKey: Buffer;
  remoteMasterSalt: Buffer;
}

export function srtpKeyLengths(profile: number): { key: number; salt: number } | undefined {
  return LENGTHS[profile];
}

/**
 * RFC 5764 4.2: the exporter output is client_write_key, server_write_key, client_write_salt,
 * server_write_salt; "local" is ours according to our role.
 */
export function splitSrtpKeyingMaterial(
  profile: number,
  role: 'client' | 'server',
  exporter: (length: number) => Buffer,
): SrtpKeyingMaterial {
  const len = LENGTHS[profile];
  if (!len) throw new RangeError(`unknown SRTP profile ${profile}`);
  // Owned: the keys live as long as the SRTP session; a pooled exporter output would pin its slab.
  const m = ownedCopy(exporter(2 * (len.key + len.salt)));
  const clientKey = m.subarray(0, len.key);
  const serverKey = m.subarray(len.key, 2 * len.key);
  const clientSalt = m.subarray(2 * len.key, 2 * len.key + len.salt);
  const serverSalt = m.subarray(2 * len.key + len.salt);
  const client = role === 'client';
  return {
    profile,
    localMasterKey: client ? clientKey : serverKey,
    localMasterSalt: client ? clientSalt : serverSalt,
    remoteMasterKey: client ? serverKey : clientKey,
    remoteMasterSalt: client ? serverSalt : clientSalt,
  };
}
