import { StunIntegrityKey } from '../stun/integrity.js';
import type { IceCredentials } from './types.js';

export interface Credentials extends IceCredentials {
  readonly key: StunIntegrityKey;
}

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomIceString(random: (size: number) => Uint8Array, length: number): string {
  const bytes = random(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ICE_CHARS[bytes[i]! & 63];
  return out;
}

/** RFC 8445 section 5.3: ufrag at least 24 bits, password at least 128 bits of randomness (ice-char). */
export function makeCredentials(random: (size: number) => Uint8Array, given?: IceCredentials): Credentials {
  const ufrag = given?.ufrag ?? randomIceString(random, 8);
  const pwd = given?.pwd ?? randomIceString(random, 24);
  return { ufrag, pwd, key: StunIntegrityKey.shortTerm(pwd) };
}
