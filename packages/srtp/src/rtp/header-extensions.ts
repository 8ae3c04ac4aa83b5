import { PacketParseError } from '../parse-error.js';

/** RFC 8285 section 4.2: the "defined by profile" value announcing one-byte elements. */
export const ONE_BYTE_EXTENSION_PROFILE = 0xbede;
/** RFC 8285 section 4.3: two-byte elements; the low 4 bits ("appbits") are free for the application. */
export const TWO_BYTE_EXTENSION_PROFILE = 0x1000;

/** One RFC 8285 header extension element; `data` is a view into the packet bytes. */
export interface RtpExtensionElement {
  id: number;
  data: Uint8Array;
}

export function isTwoByteProfile(profile: number): boolean {
  return (profile & 0xfff0) === TWO_BYTE_EXTENSION_PROFILE;
}

/**
 * Splits an RFC 8285 extension block into elements. Returns `undefined` when the profile is not
 * one of the RFC 8285 forms (the block is then opaque, RFC 3550 5.3.1).
 */
export function parseExtensionElements(profile: number, data: Uint8Array): RtpExtensionElement[] | undefined {
  if (profile === ONE_BYTE_EXTENSION_PROFILE) return parseOneByte(data);
  if (isTwoByteProfile(profile)) return parseTwoByte(data);
  return undefined;
}

function parseOneByte(data: Uint8Array): RtpExtensionElement[] {
  const out: RtpExtensionElement[] = [];
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    // RFC 8285 4.2: a zero byte is padding between or after elements.
    if (b === 0) {
      i++;
      continue;
    }
    const id = b >> 4;
    // RFC 8285 4.2: ID 15 is reserved; the receiver stops processing the block there.
    if (id === 15) break;
    const len = (b & 0x0f) + 1;
    if (i + 1 + len > data.length) throw new PacketParseError('bad-extension', 'one-byte element overruns');
    out.push({ id, data: data.subarray(i + 1, i + 1 + len) });
    i += 1 + len;
  }
  return out;
}

function parseTwoByte(data: Uint8Array): RtpExtensionElement[] {
  const out: RtpExtensionElement[] = [];
  let i = 0;
  while (i < data.length) {
    const id = data[i]!;
    // RFC 8285 4.3: a zero ID byte is padding.
    if (id === 0) {
      i++;
      continue;
    }
    if (i + 1 >= data.length) throw new PacketParseError('bad-extension', 'two-byte element truncated');
    const len = data[i + 1]!;
    if (i + 2 + len > data.length) throw new PacketParseError('bad-extension', 'two-byte element overruns');
    out.push({ id, data: data.subarray(i + 2, i + 2 + len) });
    i += 2 + len;
  }
  return out;
}

/**
 * Builds an extension block (without the 4-byte profile/length word) padded to 32 bits. Picks the
 * one-byte form when every element fits it (RFC 8285 4.2: IDs 1-14, 1-16 bytes), otherwise the
 * two-byte form, which also carries one-byte IDs and empty elements (the "mixed" case, 4.3).
 */
export function serializeExtensionElements(elements: readonly RtpExtensionElement[]): {
  profile: number;
  data: Uint8Array;
} {
  const oneByte = elements.every((e) => e.id >= 1 && e.id <= 14 && e.data.length >= 1 && e.data.length <= 16);
  let size = 0;
  for (const e of elements) {
    if (e.id < 1 || e.id > 255 || e.data.length > 255) {
      throw new RangeError(`extension element id ${e.id} / length ${e.data.length} not encodable`);
    }
    size += (oneByte ? 1 : 2) + e.data.length;
  }
  const data = new Uint8Array((size + 3) & ~3);
  let i = 0;
  for (const e of elements) {
    if (oneByte) {
      data[i++] = (e.id << 4) | (e.data.length - 1);
    } else {
      data[i++] = e.id;
      data[i++] = e.data.length;
    }
    data.set(e.data, i);
    i += e.data.length;
  }
  return { profile: oneByte ? ONE_BYTE_EXTENSION_PROFILE : TWO_BYTE_EXTENSION_PROFILE, data };
}
