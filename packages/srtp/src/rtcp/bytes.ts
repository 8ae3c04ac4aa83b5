import { PacketParseError } from '../parse-error.js';

/** A bounds-checked big-endian reader whose overruns become {@link PacketParseError}s. */
export class ByteReader {
  private readonly view: DataView;
  offset: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = start;
  }
  get remaining(): number {
    return this.end - this.offset;
  }
  private need(n: number): void {
    if (this.offset + n > this.end) throw new PacketParseError('length-overrun', 'RTCP field overruns');
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const v = (this.view.getUint16(this.offset) << 8) | this.view.getUint8(this.offset + 2);
    this.offset += 3;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.view.getInt16(this.offset);
    this.offset += 2;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  rest(): Uint8Array {
    return this.take(this.remaining);
  }
}

/** A growable big-endian writer for building RTCP packets. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.length++, v);
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
    return this;
  }
  u24(v: number): this {
    return this.u16((v >>> 8) & 0xffff).u8(v & 0xff);
  }
  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
    return this;
  }
  i16(v: number): this {
    this.ensure(2);
    this.view.setInt16(this.length, v);
    this.length += 2;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  padTo4(): this {
    while (this.length % 4 !== 0) this.u8(0);
    return this;
  }
  setU16At(at: number, v: number): void {
    this.view.setUint16(at, v);
  }
  setU8At(at: number, v: number): void {
    this.view.setUint8(at, v);
  }
  byteAt(at: number): number {
    return this.view.getUint8(at);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
