import { encodeAddressValue, type TransportAddress } from './address.js';
import {
  encodeMessageType,
  MAGIC_COOKIE,
  STUN_HEADER_LENGTH,
  StunAttr,
  TRANSACTION_ID_LENGTH,
} from './constants.js';
import { crc32 } from './crc32.js';
import type { StunIntegrityKey } from './integrity.js';

const FINGERPRINT_XOR = 0x5354554e;
const XOR_ADDRESS_TYPES = new Set<number>([
  StunAttr.XorMappedAddress,
  StunAttr.XorPeerAddress,
  StunAttr.XorRelayedAddress,
]);

export interface StunFinishOptions {
  /** Appends MESSAGE-INTEGRITY (HMAC-SHA1). */
  integrity?: StunIntegrityKey;
  /** Appends MESSAGE-INTEGRITY-SHA256 (full 32 bytes). */
  integritySha256?: StunIntegrityKey;
  /** Appends FINGERPRINT. */
  fingerprint?: boolean;
}

/** Writes a STUN message attribute by attribute into one growing buffer. */
export class StunMessageBuilder {
  private buf: Buffer;
  private length = STUN_HEADER_LENGTH;

  constructor(
    method: number,
    messageClass: number,
    readonly transactionId: Uint8Array,
    capacity = 256,
  ) {
    if (transactionId.length !== TRANSACTION_ID_LENGTH)
      throw new RangeError('transaction id must be 12 bytes');
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 64));
    this.buf.writeUInt16BE(encodeMessageType(method, messageClass), 0);
    this.buf.writeUInt16BE(0, 2);
    this.buf.writeUInt32BE(MAGIC_COOKIE, 4);
    this.buf.set(transactionId, 8);
  }

  private reserve(valueLength: number): number {
    const need = this.length + 4 + ((valueLength + 3) & ~3);
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    return this.length;
  }

  /** Appends an attribute with zero padding to a 4-byte boundary (RFC 8489 section 14). */
  add(type: number, value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const at = this.reserve(bytes.length);
    this.buf.writeUInt16BE(type, at);
    this.buf.writeUInt16BE(bytes.length, at + 2);
    this.buf.set(bytes, at + 4);
    const padded = (bytes.length + 3) & ~3;
    this.buf.fill(0, at + 4 + bytes.length, at + 4 + padded);
    this.length = at + 4 + padded;
    return this;
  }

  addU32(type: number, value: number): this {
    const at = this.reserve(4);
    this.buf.writeUInt16BE(type, at);
    this.buf.writeUInt16BE(4, at + 2);
    this.buf.writeUInt32BE(value >>> 0, at + 4);
    this.length = at + 8;
    return this;
  }

  addU64(type: number, value: bigint): this {
    const at = this.reserve(8);
    this.buf.writeUInt16BE(type, at);
    this.buf.writeUInt16BE(8, at + 2);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, value), at + 4);
    this.length = at + 12;
    return this;
  }

  addFlag(type: number): this {
    return this.add(type, EMPTY);
  }

  /** XOR-encodes for the XOR-* attribute types (RFC 8489 section 14.2). */
  addAddress(type: number, address: TransportAddress): this {
    const xor = XOR_ADDRESS_TYPES.has(type);
    return this.add(type, encodeAddressValue(address, xor ? this.transactionId : undefined));
  }

  /** RFC 8489 section 14.8. */
  addErrorCode(code: number, reason = ''): this {
    if (code < 300 || code > 699) throw new RangeError(`error code ${code} out of 300-699`);
    const text = Buffer.from(reason, 'utf8');
    const value = Buffer.alloc(4 + text.length);
    value[2] = Math.floor(code / 100);
    value[3] = code % 100;
    text.copy(value, 4);
    return this.add(StunAttr.ErrorCode, value);
  }

  addUnknownAttributes(types: readonly number[]): this {
    const value = Buffer.alloc(types.length * 2);
    for (let i = 0; i < types.length; i++) value.writeUInt16BE(types[i]!, i * 2);
    return this.add(StunAttr.UnknownAttributes, value);
  }

  /** RFC 8656 section 18.6 / 18.13. */
  addRequestedTransport(protocol: number): this {
    return this.addU32(StunAttr.RequestedTransport, (protocol & 0xff) << 24);
  }
  addRequestedAddressFamily(family: 4 | 6): this {
    return this.addU32(StunAttr.RequestedAddressFamily, (family === 4 ? 1 : 2) << 24);
  }
  addChannelNumber(channel: number): this {
    return this.addU32(StunAttr.ChannelNumber, (channel & 0xffff) << 16);
  }
  addEvenPort(reserve: boolean): this {
    return this.add(StunAttr.EvenPort, Uint8Array.of(reserve ? 0x80 : 0));
  }

  /** Appends integrity and fingerprint as asked (in the RFC 8489 section 14 order) and returns the message. */
  finish(options: StunFinishOptions = {}): Buffer {
    const buf = () => this.buf;
    if (options.integrity) {
      const at = this.reserve(20);
      buf().writeUInt16BE(at + 24 - STUN_HEADER_LENGTH, 2);
      const mac = options.integrity.hmacSha1(buf().subarray(0, at));
      buf().writeUInt16BE(StunAttr.MessageIntegrity, at);
      buf().writeUInt16BE(20, at + 2);
      mac.copy(buf(), at + 4);
      this.length = at + 24;
    }
    if (options.integritySha256) {
      const at = this.reserve(32);
      buf().writeUInt16BE(at + 36 - STUN_HEADER_LENGTH, 2);
      const mac = options.integritySha256.hmacSha256(buf().subarray(0, at));
      buf().writeUInt16BE(StunAttr.MessageIntegritySha256, at);
      buf().writeUInt16BE(32, at + 2);
      mac.copy(buf(), at + 4);
      this.length = at + 36;
    }
    if (options.fingerprint) {
      const at = this.reserve(4);
      buf().writeUInt16BE(at + 8 - STUN_HEADER_LENGTH, 2);
      const crc = (crc32(buf(), 0, at) ^ FINGERPRINT_XOR) >>> 0;
      buf().writeUInt16BE(StunAttr.Fingerprint, at);
      buf().writeUInt16BE(4, at + 2);
      buf().writeUInt32BE(crc, at + 4);
      this.length = at + 8;
    }
    buf().writeUInt16BE(this.length - STUN_HEADER_LENGTH, 2);
    return buf().subarray(0, this.length);
  }
}

const EMPTY = new Uint8Array(0);
