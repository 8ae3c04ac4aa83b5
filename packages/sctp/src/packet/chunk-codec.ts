/** Each chunk type has one codec: its value (after the 4-byte chunk header) and its flags. */
export interface ChunkCodec<T extends { type: string }> {
  readonly code: number;
  readonly type: T['type'];
  /** Throws SctpParseError when the value is malformed. */
  parse(flags: number, value: Buffer): T;
  valueLength(chunk: T): number;
  /** Writes the value at `offset` and returns the chunk flags. */
  write(chunk: T, buf: Buffer, offset: number): number;
}
