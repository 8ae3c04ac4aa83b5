/**
 * The per-packet work of an RTP sender on the forwarding path, without parsing into objects:
 * every packet gets the sender's SSRC and, when the MID header extension is negotiated, the MID
 * element (RFC 9143 9.2, RFC 8843 15) added or replaced, in one pass into one new buffer. An SFU
 * forwards each packet to many senders, so this runs N times per packet received.
 */

/** RFC 8285 4.2 / 4.3 extension block profiles. */
const ONE_BYTE_PROFILE = 0xbede;
const isTwoByteProfile = (profile: number): boolean => (profile & 0xfff0) === 0x1000;

export interface MidElement {
  readonly id: number;
  readonly value: Uint8Array;
}

/** Where the parts of an RTP packet are (RFC 3550 5.1), or undefined when the bytes are not RTP. */
export interface RtpLayout {
  /** End of the fixed header and CSRCs: where the extension block starts, if any. */
  readonly csrcEnd: number;
  /** Start of the payload (after the extension block). */
  readonly payloadStart: number;
  readonly extensionProfile: number | undefined;
}

/** The same acceptance rules as `parseRtp` (version 2, lengths within the packet, padding count). */
export function rtpLayout(p: Uint8Array): RtpLayout | undefined {
  const n = p.length;
  if (n < 12) return undefined;
  const b0 = p[0]!;
  if (b0 >> 6 !== 2) return undefined;
  const csrcEnd = 12 + (b0 & 0x0f) * 4;
  let payloadStart = csrcEnd;
  let extensionProfile: number | undefined;
  if (b0 & 0x10) {
    if (csrcEnd + 4 > n) return undefined;
    extensionProfile = (p[csrcEnd]! << 8) | p[csrcEnd + 1]!;
    payloadStart = csrcEnd + 4 + ((p[csrcEnd + 2]! << 8) | p[csrcEnd + 3]!) * 4;
  }
  if (payloadStart > n) return undefined;
  if (b0 & 0x20) {
    // RFC 3550 5.1: the last octet counts the padding, itself included.
    const padding = p[n - 1]!;
    if (padding === 0 || payloadStart + padding > n) return undefined;
  }
  return { csrcEnd, payloadStart, extensionProfile };
}

/**
 * A copy of `packet` with `ssrc` and, if given, the MID element (the packet's other RFC 8285
 * elements kept in order, its own MID element dropped; an extension block of another profile is
 * replaced). The one-byte form is used when every element fits it, else the two-byte form.
 * Undefined when the bytes are not RTP or their extension block is malformed.
 */
export function rewriteRtp(
  packet: Uint8Array,
  ssrc: number,
  mid: MidElement | undefined,
): Buffer | undefined {
  const layout = rtpLayout(packet);
  if (!layout) return undefined;
  if (!mid) {
    const out = Buffer.allocUnsafe(packet.length);
    out.set(packet);
    out.writeUInt32BE(ssrc >>> 0, 8);
    return out;
  }
  const { csrcEnd, payloadStart, extensionProfile } = layout;
  const dataStart = csrcEnd + 4;
  const kind =
    extensionProfile === ONE_BYTE_PROFILE
      ? 1
      : extensionProfile !== undefined && isTwoByteProfile(extensionProfile)
        ? 2
        : 0;
  // First pass: how many bytes the kept elements need, and whether they all fit the one-byte form.
  let keptBytes = 0;
  let keptCount = 0;
  let oneByte = mid.id >= 1 && mid.id <= 14 && mid.value.length >= 1 && mid.value.length <= 16;
  const wellFormed =
    kind === 0 ||
    walkElements(packet, dataStart, payloadStart, kind, mid.id, (id, _start, length) => {
      keptCount++;
      keptBytes += length;
      if (id > 14 || length < 1 || length > 16) oneByte = false;
    });
  if (!wellFormed) return undefined;
  if (mid.id < 1 || mid.id > 255 || mid.value.length > 255) return undefined;
  const hdr = oneByte ? 1 : 2;
  const size = keptBytes + keptCount * hdr + hdr + mid.value.length;
  const dataLength = (size + 3) & ~3;
  const tail = packet.length - payloadStart;
  const out = Buffer.allocUnsafe(dataStart + dataLength + tail);
  out.set(packet.subarray(0, csrcEnd));
  out[0] = packet[0]! | 0x10;
  out.writeUInt32BE(ssrc >>> 0, 8);
  out.writeUInt16BE(oneByte ? ONE_BYTE_PROFILE : 0x1000, csrcEnd);
  out.writeUInt16BE(dataLength / 4, csrcEnd + 2);
  // Second pass: write the kept elements, then the MID.
  let o = dataStart;
  if (kind !== 0) {
    walkElements(packet, dataStart, payloadStart, kind, mid.id, (id, start, length) => {
      o = writeElement(out, o, id, packet.subarray(start, start + length), oneByte);
    });
  }
  o = writeElement(out, o, mid.id, mid.value, oneByte);
  out.fill(0, o, dataStart + dataLength);
  out.set(packet.subarray(payloadStart), dataStart + dataLength);
  return out;
}

/**
 * Calls `visit` for each RFC 8285 element (4.2 one-byte, 4.3 two-byte) of the block except those
 * with `skipId`, skipping padding and stopping at a one-byte ID 15 (reserved: processing stops
 * there). False when an element overruns the block.
 */
function walkElements(
  p: Uint8Array,
  from: number,
  to: number,
  kind: 1 | 2,
  skipId: number,
  visit: (id: number, start: number, length: number) => void,
): boolean {
  for (let i = from; i < to; ) {
    const b = p[i]!;
    if (b === 0) {
      i++;
      continue;
    }
    let id: number;
    let start: number;
    let length: number;
    if (kind === 1) {
      id = b >> 4;
      if (id === 15) return true;
      length = (b & 0x0f) + 1;
      start = i + 1;
    } else {
      if (i + 1 >= to) return false;
      id = b;
      length = p[i + 1]!;
      start = i + 2;
    }
    if (start + length > to) return false;
    if (id !== skipId) visit(id, start, length);
    i = start + length;
  }
  return true;
}

function writeElement(out: Buffer, o: number, id: number, value: Uint8Array, oneByte: boolean): number {
  if (oneByte) out[o++] = (id << 4) | (value.length - 1);
  else {
    out[o++] = id;
    out[o++] = value.length;
  }
  out.set(value, o);
  return o + value.length;
}
