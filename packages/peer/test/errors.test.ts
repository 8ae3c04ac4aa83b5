import { describe, expect, it } from 'vitest';
import {
  createDomException,
  invalidAccessError,
  invalidModificationError,
  invalidStateError,
  isDomException,
  notSupportedError,
  operationError,
  parseSdp,
  RTCError,
  SdpParseError,
  syntaxError,
  typeError,
} from '../src/index.js';

describe('DOMException-compatible errors (W3C webrtc-pc, WebIDL)', () => {
  it('builds DOMExceptions with the spec names and legacy codes', () => {
    const cases: [DOMException, string, number][] = [
      [invalidStateError('a'), 'InvalidStateError', DOMException.INVALID_STATE_ERR],
      [invalidAccessError('b'), 'InvalidAccessError', DOMException.INVALID_ACCESS_ERR],
      [invalidModificationError('c'), 'InvalidModificationError', DOMException.INVALID_MODIFICATION_ERR],
      [syntaxError('d'), 'SyntaxError', DOMException.SYNTAX_ERR],
      [notSupportedError('e'), 'NotSupportedError', DOMException.NOT_SUPPORTED_ERR],
      // OperationError has no legacy code.
      [operationError('f'), 'OperationError', 0],
    ];
    for (const [error, name, code] of cases) {
      expect(error).toBeInstanceOf(DOMException);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(isDomException(error, name as 'SyntaxError')).toBe(true);
    }
    expect(createDomException('OperationError', 'why').message).toBe('why');
  });

  it('uses the built-in TypeError, which is not a DOMException', () => {
    const error = typeError('bad argument');
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('bad argument');
    expect(isDomException(error)).toBe(false);
    expect(isDomException(invalidStateError('x'), 'OperationError')).toBe(false);
  });
});

describe('RTCError (W3C webrtc-pc 11.1)', () => {
  it('is an OperationError DOMException with the WebRTC details', () => {
    const error = new RTCError({ errorDetail: 'dtls-failure', receivedAlert: 40 }, 'handshake failed');
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe('OperationError');
    expect(error.message).toBe('handshake failed');
    expect(error.errorDetail).toBe('dtls-failure');
    expect(error.receivedAlert).toBe(40);
    expect(error.sentAlert).toBeNull();
    expect(error.sdpLineNumber).toBeNull();
  });

  it('carries the SDP line number of a parse error (W3C 4.4.1.5 sdp-syntax-error)', () => {
    let parseError: unknown;
    try {
      parseSdp('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=setup:sideways\r\n');
    } catch (error) {
      parseError = error;
    }
    expect(parseError).toBeInstanceOf(SdpParseError);
    const rtcError = (parseError as SdpParseError).toRTCError();
    expect(rtcError).toBeInstanceOf(RTCError);
    expect(rtcError.errorDetail).toBe('sdp-syntax-error');
    expect(rtcError.sdpLineNumber).toBe(4);
    expect(rtcError.message).toContain('sideways');
  });
});
