import { AlertDescription } from './constants.js';

/** Thrown by every parser in this package on bytes it cannot accept; nothing else escapes a parser. */
export class DtlsParseError extends Error {
  override readonly name = 'DtlsParseError';
}

/** Why a connection failed; each maps to the fatal alert we send (RFC 5246 7.2.2). */
export type DtlsErrorReason =
  | 'fingerprint-mismatch'
  | 'bad-certificate'
  | 'missing-certificate'
  | 'bad-signature'
  | 'bad-finished'
  | 'handshake-failure'
  | 'no-shared-cipher'
  | 'decode-error'
  | 'unexpected-message'
  | 'illegal-parameter'
  | 'decrypt-error'
  | 'protocol-version'
  | 'renegotiation-refused'
  | 'handshake-timeout'
  | 'alert-received'
  | 'internal-error';

const ALERT_FOR_REASON: Record<DtlsErrorReason, number> = {
  'fingerprint-mismatch': AlertDescription.bad_certificate,
  'bad-certificate': AlertDescription.bad_certificate,
  'missing-certificate': AlertDescription.handshake_failure,
  'bad-signature': AlertDescription.decrypt_error,
  'bad-finished': AlertDescription.decrypt_error,
  'handshake-failure': AlertDescription.handshake_failure,
  'no-shared-cipher': AlertDescription.handshake_failure,
  'decode-error': AlertDescription.decode_error,
  'unexpected-message': AlertDescription.unexpected_message,
  'illegal-parameter': AlertDescription.illegal_parameter,
  'decrypt-error': AlertDescription.decrypt_error,
  'protocol-version': AlertDescription.protocol_version,
  'renegotiation-refused': AlertDescription.no_renegotiation,
  'handshake-timeout': AlertDescription.handshake_failure,
  'alert-received': AlertDescription.close_notify,
  'internal-error': AlertDescription.internal_error,
};

/** A fatal connection failure: `reason` is for programs, `alert` is what went (or came) on the wire. */
export class DtlsError extends Error {
  override readonly name = 'DtlsError';
  readonly reason: DtlsErrorReason;
  /** The alert description sent to the peer, or received from it for `alert-received`. */
  readonly alert: number;

  constructor(reason: DtlsErrorReason, message: string, alert?: number) {
    super(message);
    this.reason = reason;
    this.alert = alert ?? ALERT_FOR_REASON[reason];
  }
}
