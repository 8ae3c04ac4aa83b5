import { ByteReader, ByteWriter } from '../../bytes.js';

/** RFC 8422 5.7: ClientECDiffieHellmanPublic, ecdh_Yc<1..2^8-1>. */
export function parseClientKeyExchange(body: Buffer): Buffer {
  const r = new ByteReader(body);
  const pub = r.vector(1, 1);
  r.end();
  return pub;
}

export function encodeClientKeyExchange(publicKey: Buffer): Buffer {
  return new ByteWriter().vector(1, publicKey).finish();
}
