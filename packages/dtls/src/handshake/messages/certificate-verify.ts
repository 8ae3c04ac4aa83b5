import { ByteReader, ByteWriter } from '../../bytes.js';

/** RFC 5246 7.4.8 with a TLS 1.2 digitally-signed struct (scheme + signature<0..2^16-1>). */
export interface CertificateVerify {
  scheme: number;
  signature: Buffer;
}

export function parseCertificateVerify(body: Buffer): CertificateVerify {
  const r = new ByteReader(body);
  const scheme = r.u16();
  const signature = r.vector(2, 1);
  r.end();
  return { scheme, signature };
}

export function encodeCertificateVerify(m: CertificateVerify): Buffer {
  return new ByteWriter().u16(m.scheme).vector(2, m.signature).finish();
}
