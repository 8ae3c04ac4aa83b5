import { readAddressValue, type TransportAddress } from './address.js';
import {
  decodeMessageClass,
  decodeMessageMethod,
  isComprehensionRequired,
  isKnownAttribute,
  MAGIC_COOKIE,
  STUN_HEADER_LENGTH,
  StunAttr,
  type StunClassValue,
} from './constants.js';
import { crc32 } from './crc32.js';
import { StunParseError } from './errors.js';
import type { StunIntegrityKey } from './integrity.js';

/** One attribute as found in the message: `offset` is where its value starts in `raw`. */
export interface StunAttribute {
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

export interface StunErrorCodeValue {
  readonly code: number;
  readonly reason: string;
}

const FINGERPRINT_XOR = 0x5354554e;
const XOR_ADDRESS_TYPES = new Set<number>([
  StunAttr.XorMappedAddress,
  StunAttr.XorPeerAddress,
  StunAttr.XorRelayedAddress,
]);

/** RFC 7983 section 7: the first byte of STUN is 0-3; a quick test before parsing. */
export function looksLikeStun(bytes: Uint8Array): boolean {
  return (
    bytes.length >= STUN_HEADER_LENGTH &&
    bytes[0]! < 4 &&
    bytes[4] === 0x21 &&
    bytes[5] === 0x12 &&
    bytes[6] === 0xa4 &&
    bytes[7] === 0x42
  );
}

/**
 * A parsed STUN message viewing the bytes it came from: attribute values are subarrays of
 * `raw`, never copies. Attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256
 * and FINGERPRINT, and anything after FINGERPRINT, are ignored (RFC 8489 section 14.5, 14.6).
 */
export class StunMessage {
  /** Offset of the MESSAGE-INTEGRITY attribute header in `raw`, or -1. */
  integrityOffset = -1;
  integritySha256Offset = -1;
  fingerprintOffset = -1;
  readonly attributes: StunAttribute[] = [];

  private constructor(
    readonly raw: Buffer,
    readonly method: number,
    readonly messageClass: StunClassValue,
    readonly transactionId: Buffer,
  ) {}

  /** Parses one whole STUN message (a UDP datagram). Throws only `StunParseError`. */
  static parse(bytes: Uint8Array): StunMessage {
    const raw = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (raw.length < STUN_HEADER_LENGTH) throw new StunParseError('too-short');
    if (raw[0]! >= 4) throw new StunParseError('not-stun');
    if (raw.readUInt32BE(4) !== MAGIC_COOKIE) throw new StunParseError('bad-magic-cookie');
    const length = raw.readUInt16BE(2);
    if (length % 4 !== 0 || length + STUN_HEADER_LENGTH !== raw.length) {
      throw new StunParseError('bad-length', `header says ${length}, datagram has ${raw.length - 20}`);
    }
    const type = raw.readUInt16BE(0);
    const msg = new StunMessage(
      raw,
      decodeMessageMethod(type),
      decodeMessageClass(type),
      raw.subarray(8, STUN_HEADER_LENGTH),
    );
    let at = STUN_HEADER_LENGTH;
    while (at < raw.length) {
      if (at + 4 > raw.length) throw new StunParseError('truncated-attribute');
      const attrType = raw.readUInt16BE(at);
      const attrLength = raw.readUInt16BE(at + 2);
      const valueAt = at + 4;
      const next = valueAt + ((attrLength + 3) & ~3);
      if (next > raw.length)
        throw new StunParseError('truncated-attribute', `type 0x${attrType.toString(16)}`);
      const ignored =
        msg.fingerprintOffset >= 0 ||
        (msg.integritySha256Offset >= 0 && attrType !== StunAttr.Fingerprint) ||
        (msg.integrityOffset >= 0 &&
          attrType !== StunAttr.Fingerprint &&
          attrType !== StunAttr.MessageIntegritySha256);
      if (!ignored) {
        validateValue(raw, attrType, valueAt, attrLength);
        msg.attributes.push({ type: attrType, offset: valueAt, length: attrLength });
        if (attrType === StunAttr.MessageIntegrity) msg.integrityOffset = at;
        else if (attrType === StunAttr.MessageIntegritySha256) msg.integritySha256Offset = at;
        else if (attrType === StunAttr.Fingerprint) msg.fingerprintOffset = at;
      }
      at = next;
    }
    return msg;
  }

  /** Like `parse`, but undefined instead of an error: for hot paths that only count drops. */
  static tryParse(bytes: Uint8Array): StunMessage | undefined {
    try {
      return StunMessage.parse(bytes);
    } catch (err) {
      if (err instanceof StunParseError) return undefined;
      throw err;
    }
  }

  find(type: number): StunAttribute | undefined {
    for (const a of this.attributes) if (a.type === type) return a;
    return undefined;
  }

  has(type: number): boolean {
    return this.find(type) !== undefined;
  }

  /** The value of the first attribute of this type, as a view of `raw`. */
  get(type: number): Buffer | undefined {
    const a = this.find(type);
    return a ? this.raw.subarray(a.offset, a.offset + a.length) : undefined;
  }

  getAll(type: number): Buffer[] {
    return this.attributes
      .filter((a) => a.type === type)
      .map((a) => this.raw.subarray(a.offset, a.offset + a.length));
  }

  /** RFC 8489 section 14: comprehension-required attributes we do not understand (reply 420). */
  unknownComprehensionRequired(): number[] {
    const out: number[] = [];
    for (const a of this.attributes)
      if (isComprehensionRequired(a.type) && !isKnownAttribute(a.type)) out.push(a.type);
    return out;
  }

  /** RFC 8489 section 14.7. False when absent or wrong. */
  hasValidFingerprint(): boolean {
    const at = this.fingerprintOffset;
    if (at < 0) return false;
    const raw = this.raw;
    const saved = raw.readUInt16BE(2);
    raw.writeUInt16BE(at + 8 - STUN_HEADER_LENGTH, 2);
    const crc = (crc32(raw, 0, at) ^ FINGERPRINT_XOR) >>> 0;
    raw.writeUInt16BE(saved, 2);
    return crc === raw.readUInt32BE(at + 4);
  }

  /**
   * RFC 8489 sections 14.5 and 14.6: checks MESSAGE-INTEGRITY-SHA256 when present, else
   * MESSAGE-INTEGRITY. False when neither is present or the HMAC does not match.
   */
  verifyIntegrity(key: StunIntegrityKey): boolean {
    if (this.integritySha256Offset >= 0) {
      const at = this.integritySha256Offset;
      const len = this.raw.readUInt16BE(at + 2);
      const mac = this.macOverPrefix(at, len, (data) => key.hmacSha256(data));
      return mac.subarray(0, len).equals(this.raw.subarray(at + 4, at + 4 + len));
    }
    if (this.integrityOffset >= 0) {
      const at = this.integrityOffset;
      const mac = this.macOverPrefix(at, 20, (data) => key.hmacSha1(data));
      return mac.equals(this.raw.subarray(at + 4, at + 24));
    }
    return false;
  }

  /**
   * The HMAC input is the message up to the integrity attribute, with the header length
   * rewritten as if that attribute ended the message. Patching the length in place and
   * restoring it avoids copying the message.
   */
  private macOverPrefix(at: number, macLength: number, hmac: (data: Uint8Array) => Buffer): Buffer {
    const raw = this.raw;
    const saved = raw.readUInt16BE(2);
    raw.writeUInt16BE(at + 4 + macLength - STUN_HEADER_LENGTH, 2);
    try {
      return hmac(raw.subarray(0, at));
    } finally {
      raw.writeUInt16BE(saved, 2);
    }
  }

  // Typed accessors. Values were length-checked during parsing, so these cannot fail.

  private text(type: number): string | undefined {
    return this.get(type)?.toString('utf8');
  }

  username(): string | undefined {
    return this.text(StunAttr.Username);
  }
  realm(): string | undefined {
    return this.text(StunAttr.Realm);
  }
  nonce(): string | undefined {
    return this.text(StunAttr.Nonce);
  }
  software(): string | undefined {
    return this.text(StunAttr.Software);
  }
  alternateDomain(): string | undefined {
    return this.text(StunAttr.AlternateDomain);
  }

  address(type: number): TransportAddress | undefined {
    const a = this.find(type);
    if (!a) return undefined;
    const tid = XOR_ADDRESS_TYPES.has(type) ? this.transactionId : undefined;
    return readAddressValue(this.raw, a.offset, a.length, tid);
  }
  addresses(type: number): TransportAddress[] {
    const tid = XOR_ADDRESS_TYPES.has(type) ? this.transactionId : undefined;
    const out: TransportAddress[] = [];
    for (const a of this.attributes) {
      if (a.type !== type) continue;
      const addr = readAddressValue(this.raw, a.offset, a.length, tid);
      if (addr) out.push(addr);
    }
    return out;
  }
  xorMappedAddress(): TransportAddress | undefined {
    return this.address(StunAttr.XorMappedAddress) ?? this.address(StunAttr.MappedAddress);
  }

  private u32(type: number): number | undefined {
    const a = this.find(type);
    return a ? this.raw.readUInt32BE(a.offset) : undefined;
  }
  private u64(type: number): bigint | undefined {
    const a = this.find(type);
    return a ? this.raw.readBigUInt64BE(a.offset) : undefined;
  }

  priority(): number | undefined {
    return this.u32(StunAttr.Priority);
  }
  iceControlling(): bigint | undefined {
    return this.u64(StunAttr.IceControlling);
  }
  iceControlled(): bigint | undefined {
    return this.u64(StunAttr.IceControlled);
  }
  useCandidate(): boolean {
    return this.has(StunAttr.UseCandidate);
  }
  lifetime(): number | undefined {
    return this.u32(StunAttr.Lifetime);
  }
  channelNumber(): number | undefined {
    const a = this.find(StunAttr.ChannelNumber);
    return a ? this.raw.readUInt16BE(a.offset) : undefined;
  }
  data(): Buffer | undefined {
    return this.get(StunAttr.Data);
  }
  /** RFC 8656 section 18.13: the protocol number (17 = UDP, 6 = TCP). */
  requestedTransport(): number | undefined {
    const a = this.find(StunAttr.RequestedTransport);
    return a ? this.raw[a.offset] : undefined;
  }
  /** RFC 8656 section 18.6: 4 or 6. */
  requestedAddressFamily(): 4 | 6 | undefined {
    const a = this.find(StunAttr.RequestedAddressFamily);
    if (!a) return undefined;
    return this.raw[a.offset] === 1 ? 4 : 6;
  }
  evenPort(): { reserve: boolean } | undefined {
    const a = this.find(StunAttr.EvenPort);
    return a ? { reserve: (this.raw[a.offset]! & 0x80) !== 0 } : undefined;
  }
  reservationToken(): Buffer | undefined {
    return this.get(StunAttr.ReservationToken);
  }
  dontFragment(): boolean {
    return this.has(StunAttr.DontFragment);
  }
  userhash(): Buffer | undefined {
    return this.get(StunAttr.Userhash);
  }
  errorCode(): StunErrorCodeValue | undefined {
    const a = this.find(StunAttr.ErrorCode);
    if (!a) return undefined;
    const code = (this.raw[a.offset + 2]! & 0x07) * 100 + this.raw[a.offset + 3]!;
    return { code, reason: this.raw.toString('utf8', a.offset + 4, a.offset + a.length) };
  }
  unknownAttributes(): number[] {
    const a = this.find(StunAttr.UnknownAttributes);
    if (!a) return [];
    const out: number[] = [];
    for (let i = 0; i + 1 < a.length; i += 2) out.push(this.raw.readUInt16BE(a.offset + i));
    return out;
  }
  /** RFC 8489 section 14.11/14.12: algorithm numbers with their parameters. */
  passwordAlgorithms(): { algorithm: number; parameters: Buffer }[] {
    const a = this.find(StunAttr.PasswordAlgorithms);
    if (!a) return [];
    return readAlgorithmList(this.raw, a.offset, a.length);
  }
  passwordAlgorithm(): { algorithm: number; parameters: Buffer } | undefined {
    const a = this.find(StunAttr.PasswordAlgorithm);
    return a ? readAlgorithmList(this.raw, a.offset, a.length)[0] : undefined;
  }
}

function readAlgorithmList(
  raw: Buffer,
  offset: number,
  length: number,
): { algorithm: number; parameters: Buffer }[] {
  const out: { algorithm: number; parameters: Buffer }[] = [];
  let at = offset;
  const end = offset + length;
  while (at + 4 <= end) {
    const algorithm = raw.readUInt16BE(at);
    const plen = raw.readUInt16BE(at + 2);
    if (at + 4 + plen > end) break;
    out.push({ algorithm, parameters: raw.subarray(at + 4, at + 4 + plen) });
    at += 4 + ((plen + 3) & ~3);
  }
  return out;
}

function bad(type: number, why: string): StunParseError {
  return new StunParseError('bad-attribute-value', `0x${type.toString(16)}: ${why}`);
}

/** Rejects values of known attributes whose shape is wrong, so the accessors never fail. */
function validateValue(raw: Buffer, type: number, at: number, length: number): void {
  switch (type) {
    case StunAttr.MappedAddress:
    case StunAttr.XorMappedAddress:
    case StunAttr.XorPeerAddress:
    case StunAttr.XorRelayedAddress:
    case StunAttr.AlternateServer: {
      const family = raw[at + 1];
      if (!((family === 1 && length === 8) || (family === 2 && length === 20))) throw bad(type, 'address');
      return;
    }
    case StunAttr.MessageIntegrity:
      if (length !== 20) throw bad(type, 'length');
      return;
    case StunAttr.MessageIntegritySha256:
      // RFC 8489 section 14.6: 16 to 32 bytes, a multiple of 4.
      if (length < 16 || length > 32 || length % 4 !== 0) throw bad(type, 'length');
      return;
    case StunAttr.Fingerprint:
    case StunAttr.Priority:
    case StunAttr.Lifetime:
    case StunAttr.ChannelNumber:
    case StunAttr.RequestedTransport:
      if (length !== 4) throw bad(type, 'length');
      return;
    case StunAttr.RequestedAddressFamily:
    case StunAttr.AdditionalAddressFamily:
      if (length !== 4 || (raw[at] !== 1 && raw[at] !== 2)) throw bad(type, 'family');
      return;
    case StunAttr.IceControlled:
    case StunAttr.IceControlling:
    case StunAttr.ReservationToken:
      if (length !== 8) throw bad(type, 'length');
      return;
    case StunAttr.UseCandidate:
    case StunAttr.DontFragment:
      if (length !== 0) throw bad(type, 'length');
      return;
    case StunAttr.EvenPort:
      if (length !== 1) throw bad(type, 'length');
      return;
    case StunAttr.Userhash:
      if (length !== 32) throw bad(type, 'length');
      return;
    case StunAttr.ErrorCode: {
      if (length < 4 || length > 767) throw bad(type, 'length');
      const cls = raw[at + 2]! & 0x07;
      if (cls < 3 || cls > 6 || raw[at + 3]! > 99) throw bad(type, 'code');
      return;
    }
    case StunAttr.UnknownAttributes:
      if (length % 2 !== 0) throw bad(type, 'length');
      return;
    case StunAttr.Username:
      if (length > 513) throw bad(type, 'length');
      return;
    case StunAttr.Realm:
    case StunAttr.Nonce:
    case StunAttr.Software:
      if (length > 763) throw bad(type, 'length');
      return;
    default:
      return;
  }
}

/**
 * The local username fragment a connectivity check is addressed to (the part of USERNAME before
 * the colon), so a driver serving many agents on one socket can route by it (RFC 8445 section
 * 7.2.2). Undefined for anything that is not a parseable STUN request with a USERNAME.
 */
export function stunRequestUfrag(bytes: Uint8Array): string | undefined {
  if (!looksLikeStun(bytes)) return undefined;
  const msg = StunMessage.tryParse(bytes);
  if (msg?.messageClass !== 0) return undefined;
  const username = msg.username();
  if (username === undefined) return undefined;
  const colon = username.indexOf(':');
  return colon < 0 ? username : username.slice(0, colon);
}
