import { bytesToIp, ipToBytes } from '../stun/address.js';

/** DNS resource record types mDNS candidate resolution uses (RFC 1035, RFC 3596). */
export const DnsType = { A: 1, AAAA: 28 } as const;
const CLASS_IN = 1;

export class DnsParseError extends Error {
  override readonly name = 'DnsParseError';
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  /** RFC 6762 section 5.4: the QU bit asks for a unicast answer. */
  readonly unicastResponse: boolean;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  /** RFC 6762 section 10.2: the cache-flush bit of the class field. */
  readonly cacheFlush: boolean;
  readonly ttl: number;
  readonly data: Buffer;
  /** For A and AAAA records, the address as text. */
  readonly address?: string;
}

export interface DnsMessage {
  readonly id: number;
  readonly isResponse: boolean;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
}

const MAX_NAME_JUMPS = 16;

function readName(buf: Buffer, start: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = start;
  let next = -1;
  let jumps = 0;
  let length = 0;
  for (;;) {
    if (at >= buf.length) throw new DnsParseError('name runs past the message');
    const len = buf[at]!;
    if ((len & 0xc0) === 0xc0) {
      // RFC 1035 section 4.1.4: a compression pointer.
      if (at + 1 >= buf.length) throw new DnsParseError('truncated pointer');
      if (++jumps > MAX_NAME_JUMPS) throw new DnsParseError('pointer loop');
      if (next < 0) next = at + 2;
      at = ((len & 0x3f) << 8) | buf[at + 1]!;
      continue;
    }
    if (len & 0xc0) throw new DnsParseError('reserved label type');
    if (len === 0) {
      if (next < 0) next = at + 1;
      break;
    }
    if (at + 1 + len > buf.length) throw new DnsParseError('label runs past the message');
    length += len + 1;
    if (length > 255) throw new DnsParseError('name too long');
    labels.push(buf.toString('utf8', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return { name: labels.join('.'), next };
}

/** Parses a DNS message (RFC 1035 section 4). Throws only `DnsParseError`. */
export function parseDnsMessage(bytes: Uint8Array): DnsMessage {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12) throw new DnsParseError('shorter than a header');
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  const ns = buf.readUInt16BE(8);
  const ar = buf.readUInt16BE(10);
  let at = 12;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qd; i++) {
    const { name, next } = readName(buf, at);
    if (next + 4 > buf.length) throw new DnsParseError('truncated question');
    const qclass = buf.readUInt16BE(next + 2);
    questions.push({ name, type: buf.readUInt16BE(next), unicastResponse: (qclass & 0x8000) !== 0 });
    at = next + 4;
  }
  const answers: DnsRecord[] = [];
  for (let i = 0; i < an + ns + ar; i++) {
    const { name, next } = readName(buf, at);
    if (next + 10 > buf.length) throw new DnsParseError('truncated record');
    const type = buf.readUInt16BE(next);
    const rclass = buf.readUInt16BE(next + 2);
    const ttl = buf.readUInt32BE(next + 4);
    const rdlength = buf.readUInt16BE(next + 8);
    const dataAt = next + 10;
    if (dataAt + rdlength > buf.length) throw new DnsParseError('truncated record data');
    const data = buf.subarray(dataAt, dataAt + rdlength);
    at = dataAt + rdlength;
    if ((rclass & 0x7fff) !== CLASS_IN) continue;
    let address: string | undefined;
    if (type === DnsType.A && rdlength === 4) address = bytesToIp(data, 0, 4);
    else if (type === DnsType.AAAA && rdlength === 16) address = bytesToIp(data, 0, 16);
    // Answers and additional records both count: mDNS responders put addresses in either.
    answers.push({
      name,
      type,
      cacheFlush: (rclass & 0x8000) !== 0,
      ttl,
      data,
      ...(address ? { address } : {}),
    });
  }
  return { id, isResponse: (flags & 0x8000) !== 0, questions, answers };
}

function encodeName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of name.split('.')) {
    if (label.length === 0) continue;
    const b = Buffer.from(label, 'utf8');
    if (b.length > 63) throw new RangeError('DNS label longer than 63 bytes');
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** RFC 6762 section 18: an mDNS query has id 0 and no flags. */
export function encodeDnsQuery(questions: readonly DnsQuestion[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(questions.length, 4);
  const body = questions.map((q) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(CLASS_IN | (q.unicastResponse ? 0x8000 : 0), 2);
    return Buffer.concat([encodeName(q.name), tail]);
  });
  return Buffer.concat([header, ...body]);
}

/** RFC 6762 section 18: an authoritative response (QR and AA set) carrying address records. */
export function encodeDnsAddressResponse(
  records: readonly { name: string; address: string; ttl: number }[],
): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x8400, 2);
  header.writeUInt16BE(records.length, 6);
  const body = records.map((r) => {
    const ip = ipToBytes(r.address);
    if (!ip) throw new TypeError(`not an IP address: ${r.address}`);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(ip.length === 4 ? DnsType.A : DnsType.AAAA, 0);
    fixed.writeUInt16BE(CLASS_IN | 0x8000, 2);
    fixed.writeUInt32BE(r.ttl, 4);
    fixed.writeUInt16BE(ip.length, 8);
    return Buffer.concat([encodeName(r.name), fixed, Buffer.from(ip)]);
  });
  return Buffer.concat([header, ...body]);
}
