import { describe, expect, it } from 'vitest';
import {
  createDomException,
  invalidAccessError,
  invalidModificationError,
  invalidStateError,
  isDomException,
  notSupportedError,
  operationError,
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
