/**
 * Parameters (RFC 9260 3.2.1) and error causes (3.3.10) share one TLV layout: 16-bit type,
 * 16-bit length including the 4-byte header, value padded to 4 bytes. Each concrete parameter has
 * its own codec file implementing this interface.
 */
export interface TlvCodec<T> {
  readonly code: number;
  /** Throws SctpParseError when the value is malformed. */
  parse(value: Buffer): T;
  valueLength(item: T): number;
  write(item: T, buf: Buffer, offset: number): void;
}

export const padded = (n: number): number => (n + 3) & ~3;
