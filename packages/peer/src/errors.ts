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
