import { ByteReader, ByteWriter } from '../../bytes.js';
import { DtlsParseError } from '../../errors.js';
import { type Extension, parseExtensions, writeExtensions } from '../extensions.js';

/** RFC 6347 4.2.1: ClientHello with the DTLS cookie field. */
export interface ClientHello {
  version: number;
  random: Buffer;
  sessionId: Buffer;
  cookie: Buffer;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Extension[];
}

export function parseClientHello(body: Buffer): ClientHello {
  const r = new ByteReader(body);
  const version = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vector(1, 0, 32);
  const cookie = r.vector(1, 0, 255);
  const suites = r.vector(2, 2);
  if (suites.length % 2 !== 0) throw new DtlsParseError('odd cipher_suites length');
  const cipherSuites: number[] = [];
  for (let i = 0; i < suites.length; i += 2) cipherSuites.push(suites.readUInt16BE(i));
  const compressionMethods = [...r.vector(1, 1)];
  const extensions = parseExtensions(r);
  r.end();
  return { version, random, sessionId, cookie, cipherSuites, compressionMethods, extensions };
}

export function encodeClientHello(m: ClientHello): Buffer {
  const w = new ByteWriter();
  w.u16(m.version).bytes(m.random).vector(1, m.sessionId).vector(1, m.cookie);
  const suites = Buffer.allocUnsafe(m.cipherSuites.length * 2);
  m.cipherSuites.forEach((s, i) => {
    suites.writeUInt16BE(s, i * 2);
  });
  w.vector(2, suites).vector(1, Buffer.from(m.compressionMethods));
  writeExtensions(w, m.extensions);
  return w.finish();
}

/**
 * Reads only the fields in front of the cipher suites. A stateless server can answer or verify a
 * cookie from the first fragment of a fragmented ClientHello, without buffering anything.
 */
export function parseClientHelloPrefix(
  fragment: Buffer,
): { version: number; random: Buffer; sessionId: Buffer; cookie: Buffer } | undefined {
  try {
    const r = new ByteReader(fragment);
    const version = r.u16();
    const random = r.bytes(32);
    const sessionId = r.vector(1, 0, 32);
    const cookie = r.vector(1, 0, 255);
    return { version, random, sessionId, cookie };
  } catch (e) {
    if (e instanceof DtlsParseError) return undefined;
    throw e;
  }
}
