/**
 * The data of header extension element `id` in raw RTP bytes (RFC 8285 one-byte or two-byte form),
 * or undefined when it is absent or the bytes are malformed. Reads in place without parsing the
 * whole packet: this runs for every received packet (transport-cc, rid routing).
 */
export function findHeaderExtension(packet: Uint8Array, id: number): Uint8Array | undefined {
  if (packet.length < 12 || (packet[0]! & 0x10) === 0) return undefined;
  const csrcCount = packet[0]! & 0x0f;
  const at = 12 + csrcCount * 4;
  if (packet.length < at + 4) return undefined;
  const profile = (packet[at]! << 8) | packet[at + 1]!;
  const length = ((packet[at + 2]! << 8) | packet[at + 3]!) * 4;
  const start = at + 4;
  const end = start + length;
  if (end > packet.length) return undefined;
  if (profile === 0xbede) {
    // RFC 8285 4.2
    let i = start;
    while (i < end) {
      const b = packet[i]!;
      if (b === 0) {
        i++;
        continue;
      }
      const elementId = b >> 4;
      if (elementId === 15) return undefined;
      const len = (b & 0x0f) + 1;
      if (i + 1 + len > end) return undefined;
      if (elementId === id) return packet.subarray(i + 1, i + 1 + len);
      i += 1 + len;
    }
    return undefined;
  }
  if ((profile & 0xfff0) === 0x1000) {
    // RFC 8285 4.3
    let i = start;
    while (i < end) {
      const elementId = packet[i]!;
      if (elementId === 0) {
        i++;
        continue;
      }
      if (i + 1 >= end) return undefined;
      const len = packet[i + 1]!;
      if (i + 2 + len > end) return undefined;
      if (elementId === id) return packet.subarray(i + 2, i + 2 + len);
      i += 2 + len;
    }
  }
  return undefined;
}

/** RFC 8852 / transport-cc: a 16-bit big-endian value carried by an extension element. */
export function readTransportSequence(packet: Uint8Array, id: number): number | undefined {
  const data = findHeaderExtension(packet, id);
  if (!data || data.length < 2) return undefined;
  return (data[0]! << 8) | data[1]!;
}
