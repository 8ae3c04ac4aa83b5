import { RTCError } from '../errors.js';

/**
 * The only error the SDP parser throws. It is a DOMException named `SyntaxError`, which is what
 * setLocalDescription/setRemoteDescription reject with for SDP that cannot be parsed
 * (W3C webrtc-pc 4.4.1.5); the peer may re-raise it as InvalidAccessError when the SDP parses but
 * is not acceptable.
 */
export class SdpParseError extends DOMException {
  /** 1-based line number in the parsed text, or 0 when the error is not tied to one line. */
  readonly lineNumber: number;
  /** What is wrong, without the position. */
  readonly reason: string;

  constructor(reason: string, lineNumber = 0, line?: string) {
    const where = lineNumber > 0 ? `line ${lineNumber}: ` : '';
    const shown =
      line === undefined ? '' : ` (${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line)})`;
    super(`Invalid SDP: ${where}${reason}${shown}`, 'SyntaxError');
    this.reason = reason;
    this.lineNumber = lineNumber;
  }

  /**
   * The form W3C webrtc-pc 4.4.1.5 rejects set{Local,Remote}Description with for SDP that does
   * not parse: an RTCError with errorDetail "sdp-syntax-error" and the line number.
   */
  toRTCError(): RTCError {
    const init = this.lineNumber > 0 ? { sdpLineNumber: this.lineNumber } : {};
    return new RTCError({ errorDetail: 'sdp-syntax-error', ...init }, this.message);
  }
}

/** Throws the parse error; attribute parsers use it and the line parser adds the position. */
export function sdpFail(reason: string): never {
  throw new SdpParseError(reason);
}
