/**
 * An independent reading of a DTLS ClientHello from captured datagrams (RFC 6347 4.1 records,
 * 4.2.2 handshake fragments; RFC 8446 4.2 extensions), so the test does not trust our own parser.
 */
export interface ClientHelloFacts {
  /** Fragments the first ClientHello arrived in. */
  fragments: number;
  length: number;
  legacyVersion: number;
  supportedVersions: number[];
  keyShareGroups: number[];
  cipherSuites: number[];
  srtpProfiles: number[];
}

export const DTLS_1_2 = 0xfefd;
export const DTLS_1_3 = 0xfefc;
/** draft-ietf-tls-ecdhe-mlkem: X25519MLKEM768. */
export const X25519_MLKEM768 = 0x11ec;

export function readClientHello(datagrams: readonly Buffer[]): ClientHelloFacts {
  let messageSeq: number | undefined;
  let body: Buffer | undefined;
  let fragments = 0;
  let filled = 0;
  for (const d of datagrams) {
    if (d.length === 0 || d[0]! < 20 || d[0]! > 63) continue; // RFC 7983: DTLS only
    for (let at = 0; at + 13 <= d.length; ) {
      const type = d[at]!;
      const length = d.readUInt16BE(at + 11);
      const fragment = d.subarray(at + 13, at + 13 + length);
      at += 13 + length;
      if (type !== 22 || fragment.length < 12 || fragment[0] !== 1) continue;
      const total = fragment.readUIntBE(1, 3);
      const seq = fragment.readUInt16BE(4);
      const offset = fragment.readUIntBE(6, 3);
      const fragLength = fragment.readUIntBE(9, 3);
      messageSeq ??= seq;
      if (seq !== messageSeq) continue; // a later hello (after HelloVerifyRequest)
      body ??= Buffer.alloc(total);
      fragment.copy(body, offset, 12, 12 + fragLength);
      fragments++;
      filled += fragLength;
    }
    if (body && filled >= body.length) break;
  }
  if (!body || filled < body.length) throw new Error('no complete ClientHello in the capture');
  let at = 0;
  const legacyVersion = body.readUInt16BE(at);
  at += 2 + 32;
  at += 1 + body[at]!; // session id
  at += 1 + body[at]!; // cookie
  const suitesLength = body.readUInt16BE(at);
  const cipherSuites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) cipherSuites.push(body.readUInt16BE(at + 2 + i));
  at += 2 + suitesLength;
  at += 1 + body[at]!; // compression methods
  const end = at + 2 + body.readUInt16BE(at);
  at += 2;
  const facts: ClientHelloFacts = {
    fragments,
    length: body.length,
    legacyVersion,
    supportedVersions: [],
    keyShareGroups: [],
    cipherSuites,
    srtpProfiles: [],
  };
  while (at + 4 <= end) {
    const type = body.readUInt16BE(at);
    const ext = body.subarray(at + 4, at + 4 + body.readUInt16BE(at + 2));
    at += 4 + ext.length;
    if (type === 43) {
      for (let i = 1; i < 1 + ext[0]!; i += 2) facts.supportedVersions.push(ext.readUInt16BE(i));
    } else if (type === 51) {
      for (let i = 2; i + 4 <= ext.length; ) {
        facts.keyShareGroups.push(ext.readUInt16BE(i));
        i += 4 + ext.readUInt16BE(i + 2);
      }
    } else if (type === 14) {
      const n = ext.readUInt16BE(0);
      for (let i = 2; i < 2 + n; i += 2) facts.srtpProfiles.push(ext.readUInt16BE(i));
    }
  }
  return facts;
}
