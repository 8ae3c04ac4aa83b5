/** SRTP protection profile ids as negotiated by DTLS-SRTP (RFC 5764 4.1.2, RFC 7714 14.2). */
export const SrtpProfile = {
  AES128_CM_HMAC_SHA1_80: 0x0001,
  AES128_CM_HMAC_SHA1_32: 0x0002,
  AEAD_AES_128_GCM: 0x0007,
  AEAD_AES_256_GCM: 0x0008,
} as const;

export type SrtpProfileId = (typeof SrtpProfile)[keyof typeof SrtpProfile];

export interface SrtpProfileParameters {
  id: SrtpProfileId;
  name: string;
  /** Master (and session) encryption key length in bytes. */
  keyLength: number;
  /** Master (and session) salt length in bytes. */
  saltLength: number;
  /** Length of the SRTP authentication tag. */
  rtpTagLength: number;
  /** Length of the SRTCP authentication tag. */
  rtcpTagLength: number;
  aead: boolean;
}

const PARAMETERS: Record<SrtpProfileId, SrtpProfileParameters> = {
  // RFC 5764 4.1.2: both AES-CM profiles authenticate SRTCP with an 80-bit tag.
  1: {
    id: 1,
    name: 'SRTP_AES128_CM_HMAC_SHA1_80',
    keyLength: 16,
    saltLength: 14,
    rtpTagLength: 10,
    rtcpTagLength: 10,
    aead: false,
  },
  2: {
    id: 2,
    name: 'SRTP_AES128_CM_HMAC_SHA1_32',
    keyLength: 16,
    saltLength: 14,
    rtpTagLength: 4,
    rtcpTagLength: 10,
    aead: false,
  },
  // RFC 7714 14.2: 96-bit salts and 16-octet tags.
  7: {
    id: 7,
    name: 'SRTP_AEAD_AES_128_GCM',
    keyLength: 16,
    saltLength: 12,
    rtpTagLength: 16,
    rtcpTagLength: 16,
    aead: true,
  },
  8: {
    id: 8,
    name: 'SRTP_AEAD_AES_256_GCM',
    keyLength: 32,
    saltLength: 12,
    rtpTagLength: 16,
    rtcpTagLength: 16,
    aead: true,
  },
};

export function isSrtpProfileId(id: number): id is SrtpProfileId {
  return id === 1 || id === 2 || id === 7 || id === 8;
}

export function srtpProfileParameters(id: SrtpProfileId): SrtpProfileParameters {
  const p = PARAMETERS[id];
  if (!p) throw new RangeError(`unsupported SRTP profile 0x${Number(id).toString(16)}`);
  return p;
}
