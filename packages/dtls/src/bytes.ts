import { DtlsParseError } from './errors.js';

/** A bounds-checked cursor over a buffer; every overrun becomes a DtlsParseError. */
export class ByteReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new DtlsParseError(`truncated: need ${n} bytes`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = this.buf.readUIntBE(this.offset, 3);
    this.offset += 3;
    return v;
  }

  u48(): number {
    this.need(6);
    const v = this.buf.readUIntBE(this.offset, 6);
    this.offset += 6;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** A vector with a 1-, 2- or 3-byte length prefix (RFC 5246 4.3). */
  vector(lengthBytes: 1 | 2 | 3, min = 0, max = Number.MAX_SAFE_INTEGER): Buffer {
    const len = lengthBytes === 1 ? this.u8() : lengthBytes === 2 ? this.u16() : this.u24();
    if (len < min || len > max) throw new DtlsParseError(`vector length ${len} outside [${min}, ${max}]`);
    return this.bytes(len);
  }

  end(): void {
    if (this.remaining !== 0) throw new DtlsParseError(`${this.remaining} trailing bytes`);
  }
}

/** Builds a buffer from parts; cheap enough for handshake messages, which are rare. */
export class ByteWriter {
  private readonly parts: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  u8(v: number): this {
    return this.push(Buffer.of(v & 0xff));
  }

  u16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeUInt16BE(v);
    return this.push(b);
  }

  u24(v: number): this {
    const b = Buffer.allocUnsafe(3);
    b.writeUIntBE(v, 0, 3);
    return this.push(b);
  }

  u48(v: number): this {
    const b = Buffer.allocUnsafe(6);
    b.writeUIntBE(v, 0, 6);
    return this.push(b);
  }

  bytes(b: Uint8Array): this {
    return this.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }

  vector(lengthBytes: 1 | 2 | 3, b: Uint8Array): this {
    if (lengthBytes === 1) this.u8(b.length);
    else if (lengthBytes === 2) this.u16(b.length);
    else this.u24(b.length);
    return this.bytes(b);
  }

  get length(): number {
    return this.size;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/**
 * A copy with memory of its own. Small Buffers are slices of shared 8 KiB pool slabs, so one
 * long-lived key or random kept from a pooled Buffer holds its whole slab (~8 KiB per connection).
 */
export function ownedCopy(b: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(b.length);
  out.set(b);
  return out;
}

export function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
