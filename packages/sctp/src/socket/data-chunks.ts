import type { Chunk } from '../packet/chunk.js';
import { type ErrorCause, ErrorCauseCode } from '../packet/error-cause.js';

/** An ABORT with one cause whose information is text or a 32-bit / 16-bit value. */
export function abortChunk(code: number, info: Buffer | string): Chunk {
  return { type: 'abort', tagReflected: false, causes: [cause(code, info)] };
}

export function errorChunk(code: number, info: Buffer | string): Chunk {
  return { type: 'error', causes: [cause(code, info)] };
}

function cause(code: number, info: Buffer | string): ErrorCause {
  return { code, info: typeof info === 'string' ? Buffer.from(info) : info };
}

export function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}

export { ErrorCauseCode };
