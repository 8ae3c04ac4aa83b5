import { ByteReader, ByteWriter } from '../../bytes.js';
import { DtlsParseError } from '../../errors.js';

const NAMED_CURVE = 3;

/** RFC 8422 5.4: ECDHE ServerKeyExchange with a named curve and a TLS 1.2 signature. */
export interface ServerKeyExchange {
  group: number;
  publicKey: Buffer;
  scheme: number;
  signature: Buffer;
}

/** The ServerECDHParams bytes, which the signature covers after both randoms. */
export function encodeEcdhParams(group: number, publicKey: Buffer): Buffer {
  return new ByteWriter().u8(NAMED_CURVE).u16(group).vector(1, publicKey).finish();
}

export function parseServerKeyExchange(body: Buffer): ServerKeyExchange {
  const r = new ByteReader(body);
  if (r.u8() !== NAMED_CURVE) throw new DtlsParseError('only named_curve ECDHE parameters are supported');
  const group = r.u16();
  const publicKey = r.vector(1, 1);
  const scheme = r.u16();
  const signature = r.vector(2, 1);
  r.end();
  return { group, publicKey, scheme, signature };
}

export function encodeServerKeyExchange(m: ServerKeyExchange): Buffer {
  return new ByteWriter()
    .bytes(encodeEcdhParams(m.group, m.publicKey))
    .u16(m.scheme)
    .vector(2, m.signature)
    .finish();
}

/** RFC 8422 5.4: signed_params = client_random + server_random + ServerECDHParams. */
export function serverKeyExchangeSignedData(
  clientRandom: Buffer,
  serverRandom: Buffer,
  group: number,
  publicKey: Buffer,
): Buffer {
  return Buffer.concat([clientRandom, serverRandom, encodeEcdhParams(group, publicKey)]);
}
