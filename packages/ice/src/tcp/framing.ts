/**
 * RFC 4571 framing, which RFC 6544 section 3 uses for ICE-TCP: each datagram is preceded by
 * its 16-bit length.
 */
export function frameRfc4571(data: Uint8Array): Buffer {
  if (data.length > 0xffff) throw new RangeError('datagram longer than 65535 bytes');
  const out = Buffer.allocUnsafe(2 + data.length);
  out.writeUInt16BE(data.length, 0);
  out.set(data, 2);
  return out;
}

/** Reassembles RFC 4571 frames from stream chunks. */
export class Rfc4571Deframer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Buffer[] {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    const frames: Buffer[] = [];
    let at = 0;
    while (at + 2 <= this.buffer.length) {
      const length = this.buffer.readUInt16BE(at);
      if (at + 2 + length > this.buffer.length) break;
      frames.push(this.buffer.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    this.buffer = this.buffer.subarray(at);
    return frames;
  }

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.buffer.length;
  }
}
