import { PacketParseError, parseRtp } from '@purertc/srtp';

export type ParsedRtp = ReturnType<typeof parseRtp>;

/** The RTP view of `bytes`, or undefined when they are not RTP; any other error is a bug and propagates. */
export function tryParseRtp(bytes: Uint8Array): ParsedRtp | undefined {
  try {
    return parseRtp(bytes);
  } catch (e) {
    if (e instanceof PacketParseError) return undefined;
    throw e;
  }
}
