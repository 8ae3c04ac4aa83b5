import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { NamedGroup, type NamedGroupId } from '../constants.js';

/** An ephemeral key pair for one handshake (RFC 8422 5.4 / 5.7). */
export interface EphemeralKey {
  group: NamedGroupId;
  /** The public value as it goes on the wire: 32 raw bytes for X25519, an uncompressed point otherwise. */
  publicKey: Buffer;
  /** Throws (caught by the caller) when the peer's public value is not a valid point. */
  deriveSharedSecret(peerPublic: Buffer): Buffer;
}

const CURVE_NAME: Record<number, string> = {
  [NamedGroup.secp256r1]: 'prime256v1',
  [NamedGroup.secp384r1]: 'secp384r1',
};
const POINT_LENGTH: Record<number, number> = {
  [NamedGroup.secp256r1]: 65,
  [NamedGroup.secp384r1]: 97,
  [NamedGroup.x25519]: 32,
};

export const SUPPORTED_GROUPS: readonly NamedGroupId[] = [
  NamedGroup.x25519,
  NamedGroup.secp256r1,
  NamedGroup.secp384r1,
];

export function isSupportedGroup(g: number): g is NamedGroupId {
  return (SUPPORTED_GROUPS as readonly number[]).includes(g);
}

// Raw X25519 keys travel through JWK (RFC 8037 2), not SPKI DER: OpenSSL 3's DER decoders and
// encoders cost ~0.4-0.5 ms per call here, the raw-key path ~10-50 us, and every handshake does
// one of each.
function x25519Key(): EphemeralKey {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const x = publicKey.export({ format: 'jwk' }).x;
  if (x === undefined) throw new Error('X25519 key without a public value');
  return {
    group: NamedGroup.x25519,
    publicKey: Buffer.from(x, 'base64url'),
    deriveSharedSecret(peerPublic) {
      if (peerPublic.length !== 32) throw new Error('bad X25519 public key length');
      const peer: KeyObject = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: peerPublic.toString('base64url') },
        format: 'jwk',
      });
      const secret = diffieHellman({ privateKey, publicKey: peer });
      // RFC 7748 6.1: an all-zero result means a low-order peer point; abort.
      if (secret.every((b) => b === 0)) throw new Error('X25519 produced the all-zero secret');
      return secret;
    },
  };
}

function nistKey(group: NamedGroupId): EphemeralKey {
  const ecdh = createECDH(CURVE_NAME[group]!);
  const publicKey = ecdh.generateKeys();
  return {
    group,
    publicKey,
    deriveSharedSecret(peerPublic) {
      // RFC 8422 5.4.1: only the uncompressed form is allowed; computeSecret validates the point.
      if (peerPublic.length !== POINT_LENGTH[group] || peerPublic[0] !== 4) {
        throw new Error('peer public value is not an uncompressed point');
      }
      return ecdh.computeSecret(peerPublic);
    },
  };
}

export function generateEphemeralKey(group: NamedGroupId): EphemeralKey {
  return group === NamedGroup.x25519 ? x25519Key() : nistKey(group);
}
