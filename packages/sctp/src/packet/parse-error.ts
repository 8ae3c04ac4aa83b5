/** The only error the SCTP parsers throw: callers drop the packet and count it. */
export class SctpParseError extends Error {
  override readonly name = 'SctpParseError';
}

export function fail(message: string): never {
  throw new SctpParseError(message);
}
