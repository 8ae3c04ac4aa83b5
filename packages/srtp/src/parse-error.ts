/** Why a packet was rejected: callers count these and drop the packet. */
export type PacketParseErrorCode =
  | 'too-short'
  | 'bad-version'
  | 'length-overrun'
  | 'bad-padding'
  | 'bad-extension'
  | 'bad-field';

/** The only error the RTP and RTCP parsers throw. */
export class PacketParseError extends Error {
  override readonly name = 'PacketParseError';
  constructor(
    readonly code: PacketParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}
