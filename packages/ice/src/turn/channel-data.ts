/** RFC 8656 section 12.4: ChannelData messages, channel numbers 0x4000-0x4FFF. */
export function isChannelData(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0]! >= 0x40 && bytes[0]! <= 0x4f;
}

/** Undefined when malformed: too short for its length field. Padding after the data is ignored. */
export function decodeChannelData(bytes: Uint8Array): { channel: number; data: Buffer } | undefined {
  if (!isChannelData(bytes)) return undefined;
  const channel = (bytes[0]! << 8) | bytes[1]!;
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (4 + length > bytes.length) return undefined;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { channel, data: buf.subarray(4, 4 + length) };
}

/**
 * RFC 8656 section 12.5: over TCP/TLS the message is padded to a multiple of 4 bytes; over UDP
 * padding is not needed and we send none.
 */
export function encodeChannelData(channel: number, data: Uint8Array, pad: boolean): Buffer {
  if (channel < 0x4000 || channel > 0x4fff) throw new RangeError(`channel ${channel} outside 0x4000-0x4FFF`);
  const total = 4 + (pad ? (data.length + 3) & ~3 : data.length);
  const out = Buffer.alloc(total);
  out.writeUInt16BE(channel, 0);
  out.writeUInt16BE(data.length, 2);
  out.set(data, 4);
  return out;
}

/**
 * RFC 8656 section 12.5 / RFC 6544 framing of STUN and ChannelData on a TCP stream: splits off
 * every complete message; returns them and how many bytes were consumed.
 */
export function splitStreamMessages(stream: Uint8Array): {
  messages: Buffer[];
  consumed: number;
  error?: string;
} {
  const buf = Buffer.isBuffer(stream)
    ? stream
    : Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const messages: Buffer[] = [];
  let at = 0;
  while (at + 4 <= buf.length) {
    const first = buf[at]!;
    let size: number;
    if (first < 0x40) size = 20 + buf.readUInt16BE(at + 2);
    else if (first <= 0x4f) size = 4 + ((buf.readUInt16BE(at + 2) + 3) & ~3);
    else return { messages, consumed: at, error: 'neither STUN nor ChannelData' };
    if (at + size > buf.length) break;
    messages.push(buf.subarray(at, at + size));
    at += size;
  }
  return { messages, consumed: at };
}
