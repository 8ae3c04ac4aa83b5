/** Why bytes were rejected as a STUN message. The parser throws nothing else. */
export type StunParseErrorReason =
  | 'too-short'
  | 'not-stun'
  | 'bad-magic-cookie'
  | 'bad-length'
  | 'truncated-attribute'
  | 'bad-attribute-order'
  | 'bad-attribute-value';

export class StunParseError extends Error {
  override readonly name = 'StunParseError';
  constructor(
    readonly reason: StunParseErrorReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}
