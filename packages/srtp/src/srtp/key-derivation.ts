import { createCipheriv } from 'node:crypto';
import { type SrtpProfileId, srtpProfileParameters } from './profiles.js';

/** The six session keys of RFC 3711 4.3.1 (auth keys are empty for the AEAD profiles). */
export interface SrtpSessionKeys {
  rtpKey: Uint8Array;
  rtpSalt: Uint8Array;
  rtpAuthKey: Uint8Array;
  rtcpKey: Uint8Array;
  rtcpSalt: Uint8Array;
  rtcpAuthKey: Uint8Array;
}

/** RFC 3711 4.3.2 key derivation labels. */
const enum Label {
  RtpEncryption = 0,
  RtpAuthentication = 1,
  RtpSalt = 2,
  RtcpEncryption = 3,
  RtcpAuthentication = 4,
  RtcpSalt = 5,
}

/** HMAC-SHA1 session auth key length (RFC 3711 8.2: n_a = 160). */
const AUTH_KEY_LENGTH = 20;

/**
 * The AES-CM PRF of RFC 3711 4.3.3 with key_derivation_rate 0, so "index DIV kdr" is zero.
 * RFC 7714 11 / RFC 6188: AES-256 keys use AES-256 in the PRF, and a 96-bit master salt is
 * zero-padded on the right to the PRF's 112 bits.
 */
export function deriveSessionKey(
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  label: number,
  length: number,
): Uint8Array {
  const x = new Uint8Array(16);
  x.set(masterSalt.subarray(0, 14));
  x[7]! ^= label;
  const blocks = Math.ceil(length / 16);
  const input = new Uint8Array(blocks * 16);
  for (let i = 0; i < blocks; i++) {
    input.set(x, i * 16);
    input[i * 16 + 14] = i >> 8;
    input[i * 16 + 15] = i & 0xff;
  }
  const ecb = createCipheriv(masterKey.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', masterKey, null);
  ecb.setAutoPadding(false);
  return new Uint8Array(ecb.update(input).subarray(0, length));
}

export function deriveSessionKeys(
  profile: SrtpProfileId,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
): SrtpSessionKeys {
  const p = srtpProfileParameters(profile);
  if (masterKey.length !== p.keyLength)
    throw new RangeError(`${p.name} needs a ${p.keyLength}-byte master key`);
  if (masterSalt.length !== p.saltLength) {
    throw new RangeError(`${p.name} needs a ${p.saltLength}-byte master salt`);
  }
  const authLength = p.aead ? 0 : AUTH_KEY_LENGTH;
  return {
    rtpKey: deriveSessionKey(masterKey, masterSalt, Label.RtpEncryption, p.keyLength),
    rtpSalt: deriveSessionKey(masterKey, masterSalt, Label.RtpSalt, p.saltLength),
    rtpAuthKey: deriveSessionKey(masterKey, masterSalt, Label.RtpAuthentication, authLength),
    rtcpKey: deriveSessionKey(masterKey, masterSalt, Label.RtcpEncryption, p.keyLength),
    rtcpSalt: deriveSessionKey(masterKey, masterSalt, Label.RtcpSalt, p.saltLength),
    rtcpAuthKey: deriveSessionKey(masterKey, masterSalt, Label.RtcpAuthentication, authLength),
  };
}
