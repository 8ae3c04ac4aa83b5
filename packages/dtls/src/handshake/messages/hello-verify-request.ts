import { ByteReader, ByteWriter } from '../../bytes.js';

/** RFC 6347 4.2.1: opaque cookie<0..2^8-1>. */
export interface HelloVerifyRequest {
  version: number;
  cookie: Buffer;
}

export function parseHelloVerifyRequest(body: Buffer): HelloVerifyRequest {
  const r = new ByteReader(body);
  const version = r.u16();
  const cookie = r.vector(1, 0, 255);
  r.end();
  return { version, cookie };
}

export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Buffer {
  return new ByteWriter().u16(m.version).vector(1, m.cookie).finish();
}
