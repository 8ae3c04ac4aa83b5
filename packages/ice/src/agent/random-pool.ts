import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * The default random source of an agent: `crypto.randomBytes` drawn 4 KiB at a time. An idle
 * connection asks for 13 bytes per consent request (a transaction id and the next interval), and
 * one `randomBytes` call costs far more than handing out a slice. The pool is per thread (module
 * state holds no connection's data), and every byte is still from the CSPRNG and used once.
 * Callers copy what they keep: a slice shares the pool's memory.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 8) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + size);
  offset += size;
  return out;
}
