import { ByteReader, ByteWriter } from '../../bytes.js';
import { DtlsParseError } from '../../errors.js';

/** RFC 5246 7.4.4. */
export interface CertificateRequest {
  certificateTypes: number[];
  signatureSchemes: number[];
  authorities: Buffer;
}

export function parseCertificateRequest(body: Buffer): CertificateRequest {
  const r = new ByteReader(body);
  const certificateTypes = [...r.vector(1, 1)];
  const schemes = r.vector(2, 2);
  if (schemes.length % 2 !== 0) throw new DtlsParseError('odd signature algorithm list');
  const signatureSchemes: number[] = [];
  for (let i = 0; i < schemes.length; i += 2) signatureSchemes.push(schemes.readUInt16BE(i));
  const authorities = r.vector(2);
  r.end();
  return { certificateTypes, signatureSchemes, authorities };
}

export function encodeCertificateRequest(m: CertificateRequest): Buffer {
  const schemes = Buffer.allocUnsafe(m.signatureSchemes.length * 2);
  m.signatureSchemes.forEach((s, i) => {
    schemes.writeUInt16BE(s, i * 2);
  });
  return new ByteWriter()
    .vector(1, Buffer.from(m.certificateTypes))
    .vector(2, schemes)
    .vector(2, m.authorities)
    .finish();
}
