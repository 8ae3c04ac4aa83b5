import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Just enough of an ICE-lite responder (RFC 8445 2.5, RFC 5389) for a browser to reach a DTLS
 * endpoint in tests: answer Binding requests with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and
 * FINGERPRINT. The real ICE agent lives in packages/ice, which this package must not depend on.
 */
const MAGIC = 0x2112a442;

export function isStunBindingRequest(d: Buffer): boolean {
  return d.length >= 20 && d.readUInt16BE(0) === 0x0001 && d.readUInt32BE(4) === MAGIC;
}

export function stunBindingResponse(
  request: Buffer,
  from: { address: string; port: number },
  icePwd: string,
): Buffer {
  const txid = request.subarray(8, 20);
  const xorAddr = Buffer.alloc(12);
  xorAddr.writeUInt16BE(0x0020, 0);
  xorAddr.writeUInt16BE(8, 2);
  xorAddr.writeUInt16BE(0x0001, 4);
  xorAddr.writeUInt16BE(from.port ^ (MAGIC >>> 16), 6);
  const ip = from.address.split('.').map(Number);
  xorAddr.writeUInt32BE((((ip[0]! << 24) | (ip[1]! << 16) | (ip[2]! << 8) | ip[3]!) ^ MAGIC) >>> 0, 8);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0101, 0);
  header.writeUInt32BE(MAGIC, 4);
  txid.copy(header, 8);
  // MESSAGE-INTEGRITY covers the message with the length already counting itself (RFC 5389 15.4).
  header.writeUInt16BE(xorAddr.length + 24, 2);
  const mac = createHmac('sha1', icePwd)
    .update(Buffer.concat([header, xorAddr]))
    .digest();
  const mi = Buffer.concat([Buffer.from([0x00, 0x08, 0x00, 0x14]), mac]);
  header.writeUInt16BE(xorAddr.length + 24 + 8, 2);
  const body = Buffer.concat([header, xorAddr, mi]);
  const fp = Buffer.alloc(8);
  fp.writeUInt16BE(0x8028, 0);
  fp.writeUInt16BE(4, 2);
  fp.writeUInt32BE((crc32(body) ^ 0x5354554e) >>> 0, 4);
  return Buffer.concat([body, fp]);
}
