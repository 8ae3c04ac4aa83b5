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

/** The certificate's public key, or a DtlsParseError when the certificate or key is malformed. */
export function certificatePublicKey(der: Buffer): KeyObject {
  const spki = extractSubjectPublicKeyInfo(der);
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new DtlsParseError('unusable public key in certificate');
  }
}
