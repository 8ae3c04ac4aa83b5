import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { GcmNonceKeystream } from '../src/gcm-nonce-keystream.js';

/** E(K, J0) then `blocks - 1` CTR blocks for the 96-bit IV n0 || n1 || n2 (SP 800-38D 7.1), from Node. */
function expected(key: Uint8Array, n0: number, n1: number, n2: number, blocks: number): string {
  const ecb = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
  ecb.setAutoPadding(false);
  const counters = Buffer.alloc(16 * blocks);
  for (let j = 0; j < blocks; j++) {
    counters.writeUInt32BE(n0, 16 * j);
    counters.writeUInt32BE(n1, 16 * j + 4);
    counters.writeUInt32BE(n2, 16 * j + 8);
    counters.writeUInt32BE(j + 1, 16 * j + 12);
  }
  return ecb.update(counters).toString('hex');
}

function served(ks: GcmNonceKeystream, blocks: number): string {
  const words = ks.words.subarray(ks.offset, ks.offset + 4 * blocks);
  return Buffer.from(words.buffer, words.byteOffset, words.byteLength).toString('hex');
}

describe('GcmNonceKeystream', () => {
  it('serves E(K, J0) and the CTR blocks of each nonce across batch edges, reordering and size changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        // Room for 60 steps of up to 40 below 2^32 (n2 is a 32-bit word).
        fc.integer({ min: 0, max: 0xffffffff - 60 * 40 }),
        fc.array(fc.tuple(fc.integer({ min: -3, max: 40 }), fc.integer({ min: 1, max: 20 })), {
          maxLength: 60,
        }),
        (keyLength, keyBytes, n0, n1, start, steps) => {
          const key = keyBytes.subarray(0, keyLength);
          const ks = new GcmNonceKeystream(key, 17);
          let n2 = start;
          for (const [step, blocks] of steps) {
            n2 = Math.max(0, n2 + step);
            ks.find(n0, n1, n2, blocks);
            expect(served(ks, blocks)).toBe(expected(key, n0, n1, n2, blocks));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hashSubkey is E(K, 0^128) (GCM spec test case 1 key: 66e94bd4...)', () => {
    const ks = new GcmNonceKeystream(new Uint8Array(16), 4);
    expect(Buffer.from(ks.hashSubkey()).toString('hex')).toBe('66e94bd4ef8a2c3b884cfa59ca342b2e');
  });

  it('makes one native call per 32 sequential nonces, and none per nonce for random ones', () => {
    const key = new Uint8Array(16).fill(7);
    const ks = new GcmNonceKeystream(key, 8);
    // biome-ignore lint/complexity/useLiteralKeys: the private cipher is spied on to count calls.
    const ecb = ks['ecb'];
    const update = vi.spyOn(ecb, 'update');
    for (let n2 = 0; n2 < 320; n2++) ks.find(1, 2, n2, 3);
    // The first nonce has no predecessor (one call of its own), then one batch per 32.
    expect(update).toHaveBeenCalledTimes(1 + 10);
    update.mockClear();
    // Far-apart nonces are not speculated on: each costs one single-nonce call, 3 blocks long.
    for (let i = 0; i < 10; i++) ks.find(1, 2, 10_000 + 1000 * i, 3);
    expect(update).toHaveBeenCalledTimes(10);
    for (const call of update.mock.calls) expect((call[0] as unknown as Uint8Array).length).toBe(48);
    // A nonce reordered across a batch edge costs one call and keeps the current batch.
    // (30_016 = 938 * 32 starts the batch the loop ends in.)
    for (let n2 = 30_000; n2 < 30_040; n2++) ks.find(1, 2, n2, 3);
    update.mockClear();
    ks.find(1, 2, 30_015, 3);
    expect(update).toHaveBeenCalledTimes(1);
    ks.find(1, 2, 30_040, 3);
    ks.find(1, 2, 30_047, 3);
    expect(update).toHaveBeenCalledTimes(1);
    // Batches hold at most 128 blocks: 17-block strides come 4 nonces (1088 bytes) per call.
    const wide = new GcmNonceKeystream(key, 17);
    const wideUpdate = vi.spyOn(Reflect.get(wide, 'ecb') as typeof ecb, 'update');
    for (let n2 = 0; n2 < 64; n2++) wide.find(1, 2, n2, 17);
    expect(wideUpdate).toHaveBeenCalledTimes(1 + 16);
    expect((wideUpdate.mock.calls[1]![0] as unknown as Uint8Array).length).toBe(4 * 17 * 16);
    // Records larger than the batch bound get a keystream of their own.
    update.mockClear();
    ks.find(1, 2, 20_001, 9);
    expect((update.mock.calls[0]![0] as unknown as Uint8Array).length).toBe(9 * 16);
  });
});
