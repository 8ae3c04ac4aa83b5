import { createPublicKey, type KeyObject } from 'node:crypto';
import { DtlsParseError } from '../errors.js';

/** One DER TLV header: tag, where the content starts, and where the element ends. */
function readTlv(buf: Buffer, offset: number, end: number): { tag: number; start: number; next: number } {
  if (offset + 2 > end) throw new DtlsParseError('DER element truncated');
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    // Certificates never need more than 4 length bytes; indefinite lengths are not DER.
    if (n === 0 || n > 4 || start + n > end) throw new DtlsParseError('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > end) throw new DtlsParseError('DER element overruns its container');
  return { tag, start, next: start + len };
}

/**
 * Finds subjectPublicKeyInfo in a DER certificate (RFC 5280 4.1) without a full X.509 parse: the
 * peer is authenticated by fingerprint, so the key is all the handshake needs from it.
 */
export function extractSubjectPublicKeyInfo(der: Buffer): Buffer {
  const cert = readTlv(der, 0, der.length);
  if (cert.tag !== 0x30 || cert.next !== der.length)
    throw new DtlsParseError('certificate is not one SEQUENCE');
  const tbs = readTlv(der, cert.start, cert.next);
  if (tbs.tag !== 0x30) throw new DtlsParseError('tbsCertificate is not a SEQUENCE');
  let at = tbs.start;
  let el = readTlv(der, at, tbs.next);
  if (el.tag === 0xa0) {
    at = el.next;
    el = readTlv(der, at, tbs.next);
  }
  // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
  const expected = [0x02, 0x30, 0x30, 0x30, 0x30];
  for (const tag of expected) {
    if (el.tag !== tag) throw new DtlsParseError('unexpected element in tbsCertificate');
    at = el.next;
    el = readTlv(der, at, tbs.next);
  }
  if (el.tag !== 0x30) throw new DtlsParseError('subjectPublicKeyInfo is not a SEQUENCE');
  return der.subarray(at, el.next);
}

/** RFC 5480 2: SubjectPublicKeyInfo of an uncompressed P-256 point, up to the point itself. */
export const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/**
 * The P-256 key WebRTC certificates carry is imported from its coordinates (JWK, RFC 7518 6.2):
 * OpenSSL 3's SPKI DER decoder costs about three times as much, once per handshake on each side.
 * Importing still checks the point is on the curve.
 */
function p256PublicKey(spki: Buffer): KeyObject | undefined {
  if (
    spki.length !== P256_SPKI_PREFIX.length + 65 ||
    !spki.subarray(0, P256_SPKI_PREFIX.length).equals(P256_SPKI_PREFIX)
  )
    return undefined;
  const point = spki.subarray(P256_SPKI_PREFIX.length);
  if (point[0] !== 4) return undefined;
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
}

/** The certificate's public key, or a DtlsParseError when the certificate or key is malformed. */
export function certificatePublicKey(der: Buffer): KeyObject {
  const spki = extractSubjectPublicKeyInfo(der);
  try {
    return p256PublicKey(spki) ?? createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new DtlsParseError('unusable public key in certificate');
  }
}
