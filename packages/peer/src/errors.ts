/**
 * The error names the W3C WebRTC API rejects with. They are DOMException names (WebIDL), except
 * `TypeError`, which the spec raises as the ECMAScript built-in.
 */
export type RtcDomExceptionName =
  | 'InvalidStateError'
  | 'InvalidAccessError'
  | 'InvalidModificationError'
  | 'OperationError'
  | 'SyntaxError'
  | 'NotSupportedError';

/** A DOMException with the given name: `instanceof DOMException` and `.name` work as in browsers. */
export function createDomException(name: RtcDomExceptionName, message: string): DOMException {
  return new DOMException(message, name);
}

export function invalidStateError(message: string): DOMException {
  return createDomException('InvalidStateError', message);
}

export function invalidAccessError(message: string): DOMException {
  return createDomException('InvalidAccessError', message);
}

export function invalidModificationError(message: string): DOMException {
  return createDomException('InvalidModificationError', message);
}

export function operationError(message: string): DOMException {
  return createDomException('OperationError', message);
}

export function syntaxError(message: string): DOMException {
  return createDomException('SyntaxError', message);
}

export function notSupportedError(message: string): DOMException {
  return createDomException('NotSupportedError', message);
}

/** WebIDL maps argument conversion failures to the ECMAScript TypeError, not a DOMException. */
export function typeError(message: string): TypeError {
  return new TypeError(message);
}

/** True when `error` is a DOMException, and of the given name if one is passed. */
export function isDomException(error: unknown, name?: RtcDomExceptionName): error is DOMException {
  return error instanceof DOMException && (name === undefined || error.name === name);
}

/** W3C webrtc-pc 11.1 RTCErrorDetailType. */
export type RTCErrorDetailType =
  | 'data-channel-failure'
  | 'dtls-failure'
  | 'fingerprint-failure'
  | 'sctp-failure'
  | 'sdp-syntax-error'
  | 'hardware-encoder-not-available'
  | 'hardware-encoder-error';

export interface RTCErrorInit {
  errorDetail: RTCErrorDetailType;
  sdpLineNumber?: number;
  sctpCauseCode?: number;
  receivedAlert?: number;
  sentAlert?: number;
  httpRequestStatusCode?: number;
}

/**
 * W3C webrtc-pc 11.1 RTCError: a DOMException named OperationError with WebRTC details. The spec
 * rejects set{Local,Remote}Description with one of these (errorDetail "sdp-syntax-error" and the
 * line number) when the SDP does not parse.
 */
export class RTCError extends DOMException {
  readonly errorDetail: RTCErrorDetailType;
  readonly sdpLineNumber: number | null;
  readonly sctpCauseCode: number | null;
  readonly receivedAlert: number | null;
  readonly sentAlert: number | null;
  readonly httpRequestStatusCode: number | null;

  constructor(init: RTCErrorInit, message = '') {
    super(message, 'OperationError');
    this.errorDetail = init.errorDetail;
    this.sdpLineNumber = init.sdpLineNumber ?? null;
    this.sctpCauseCode = init.sctpCauseCode ?? null;
    this.receivedAlert = init.receivedAlert ?? null;
    this.sentAlert = init.sentAlert ?? null;
    this.httpRequestStatusCode = init.httpRequestStatusCode ?? null;
  }
}
