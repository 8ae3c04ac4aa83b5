import { ByteReader, ByteWriter } from '../../bytes.js';

/** RFC 5246 7.4.2: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>, leaf first. */
export function parseCertificate(body: Buffer): Buffer[] {
  const r = new ByteReader(body);
  const list = new ByteReader(r.vector(3));
  r.end();
  const out: Buffer[] = [];
  while (list.remaining > 0) out.push(list.vector(3, 1));
  return out;
}

export function encodeCertificate(chain: readonly Uint8Array[]): Buffer {
  const inner = new ByteWriter();
  for (const c of chain) inner.vector(3, c);
  return new ByteWriter().vector(3, inner.finish()).finish();
}
