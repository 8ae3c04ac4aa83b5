import { MAGIC_COOKIE } from './constants.js';

/** An IP address and port. `address` is a dotted IPv4 or an RFC 5952 text IPv6 address. */
export interface TransportAddress {
  readonly address: string;
  readonly port: number;
}

export type AddressFamily = 4 | 6;

export function addressFamily(address: string): AddressFamily {
  return address.includes(':') ? 6 : 4;
}

export function sameTransportAddress(a: TransportAddress, b: TransportAddress): boolean {
  return a.port === b.port && a.address === b.address;
}

export function transportAddressKey(a: TransportAddress): string {
  return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

function parseIpv4(text: string, out: Uint8Array, at: number): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return false;
    const v = Number(p);
    if (v > 255) return false;
    out[at + i] = v;
  }
  return true;
}

/** Parses an IPv4 or IPv6 text address into 4 or 16 bytes; undefined when it is not one. */
export function ipToBytes(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) {
    const out = new Uint8Array(4);
    return parseIpv4(text, out, 0) ? out : undefined;
  }
  const out = new Uint8Array(16);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = new Uint8Array(4);
        if (!parseIpv4(p, v4, 0)) return undefined;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      groups.push(Number.parseInt(p, 16));
    }
    return groups;
  };
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && head.length + tail.length > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  for (let i = 0; i < 8; i++) {
    out[i * 2] = groups[i]! >> 8;
    out[i * 2 + 1] = groups[i]! & 0xff;
  }
  return out;
}

/** Formats 4 or 16 bytes as text; IPv6 in the RFC 5952 canonical form (what Node's sockets report). */
export function bytesToIp(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  if (length === 4) {
    return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + i * 2]! << 8) | bytes[offset + i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((v) => v.toString(16)).join(':');
  if (bestStart >= 0 && bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) {
    return `::ffff:${bytes[offset + 12]}.${bytes[offset + 13]}.${bytes[offset + 14]}.${bytes[offset + 15]}`;
  }
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** Normalises any accepted text form of an IP address; undefined when it is not an IP address. */
export function canonicalIp(text: string): string | undefined {
  const bytes = ipToBytes(text);
  return bytes ? bytesToIp(bytes) : undefined;
}

/**
 * Reads a (XOR-)MAPPED-ADDRESS style value (RFC 8489 sections 14.1 and 14.2). `transactionId`
 * given means the XOR form. Undefined when the value is malformed.
 */
export function readAddressValue(
  buf: Uint8Array,
  offset: number,
  length: number,
  transactionId?: Uint8Array,
): TransportAddress | undefined {
  if (length < 4) return undefined;
  const family = buf[offset + 1];
  let port = (buf[offset + 2]! << 8) | buf[offset + 3]!;
  if (transactionId) port ^= MAGIC_COOKIE >>> 16;
  if (family === 0x01) {
    if (length !== 8) return undefined;
    const ip = new Uint8Array(4);
    for (let i = 0; i < 4; i++) ip[i] = buf[offset + 4 + i]! ^ (transactionId ? cookieByte(i) : 0);
    return { address: bytesToIp(ip), port };
  }
  if (family === 0x02) {
    if (length !== 20) return undefined;
    const ip = new Uint8Array(16);
    for (let i = 0; i < 16; i++) {
      const mask = transactionId ? (i < 4 ? cookieByte(i) : transactionId[i - 4]!) : 0;
      ip[i] = buf[offset + 4 + i]! ^ mask;
    }
    return { address: bytesToIp(ip), port };
  }
  return undefined;
}

function cookieByte(i: number): number {
  return (MAGIC_COOKIE >>> (24 - i * 8)) & 0xff;
}

/** Encodes an address value; `transactionId` given means the XOR form. Throws on a non-IP address. */
export function encodeAddressValue(addr: TransportAddress, transactionId?: Uint8Array): Uint8Array {
  const ip = ipToBytes(addr.address);
  if (!ip) throw new TypeError(`not an IP address: ${addr.address}`);
  const out = new Uint8Array(4 + ip.length);
  out[1] = ip.length === 4 ? 0x01 : 0x02;
  const port = transactionId ? addr.port ^ (MAGIC_COOKIE >>> 16) : addr.port;
  out[2] = (port >> 8) & 0xff;
  out[3] = port & 0xff;
  for (let i = 0; i < ip.length; i++) {
    const mask = transactionId ? (i < 4 ? cookieByte(i) : transactionId[i - 4]!) : 0;
    out[4 + i] = ip[i]! ^ mask;
  }
  return out;
}
