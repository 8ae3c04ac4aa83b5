import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ghash } from '../src/ghash.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** GHASH(H, A, C) (SP 800-38D 6.4/7.1) through our class, byte-oriented. */
function ghash(h: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const g = new Ghash(h);
  const absorb = (data: Uint8Array) => {
    const blocks = Math.ceil(data.length / 16);
    const padded = new Uint8Array(blocks * 16);
    padded.set(data);
    g.update(new Int32Array(padded.buffer), 0, blocks);
  };
  absorb(aad);
  absorb(ciphertext);
  const lengths = Buffer.alloc(16);
  lengths.writeUInt32BE(aad.length * 8, 4);
  lengths.writeUInt32BE(ciphertext.length * 8, 12);
  absorb(lengths);
  return new Uint8Array(Int32Array.of(g.y0, g.y1, g.y2, g.y3).buffer);
}

function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return c.update(block);
}

/** The GCM tag from our GHASH: GHASH XOR E(K, J0), J0 = IV || 0^31 || 1 (SP 800-38D 7.1). */
function tagViaGhash(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array) {
  const h = aesBlock(key, new Uint8Array(16));
  const j0 = new Uint8Array(16);
  j0.set(iv);
  j0[15] = 1;
  const s = ghash(h, aad, ciphertext);
  const mask = aesBlock(key, j0);
  return s.map((b, i) => b ^ mask[i]!);
}

describe('constant-time GHASH', () => {
  it('matches the GHASH value and tag of GCM spec test case 2 (McGrew-Viega)', () => {
    // Test case 2: K = 0, P = 0^128, IV = 0^96; C and T as published.
    const zeroKey = new Uint8Array(16);
    const c2 = hex('0388dace60b6a392f328c2b971b2fe78');
    expect(toHex(tagViaGhash(zeroKey, new Uint8Array(12), new Uint8Array(0), c2))).toBe(
      'ab6e47d42cec13bdf53a67b21257bddf',
    );
    // GHASH value itself for test case 2 (H = 66e94bd4ef8a2c3b884cfa59ca342b2e).
    expect(toHex(ghash(hex('66e94bd4ef8a2c3b884cfa59ca342b2e'), new Uint8Array(0), c2))).toBe(
      'f38cbb1ad69223dcc3457ae5b6b0f885',
    );
  });

  it('equals node:crypto GCM for random keys, IVs, AAD and lengths (partial blocks included)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 700 }),
        (keyLength, keyBytes, iv, aad, plaintext) => {
          const key = keyBytes.subarray(0, keyLength);
          const cipher = createCipheriv(keyLength === 32 ? 'aes-256-gcm' : 'aes-128-gcm', key, iv);
          cipher.setAAD(aad);
          const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
          expect(toHex(tagViaGhash(key, iv, aad, ciphertext))).toBe(toHex(cipher.getAuthTag()));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('multiplies by H once more with extra = 1, so a known last block X can be added as X * H', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 11 }),
        fc.uint8Array({ minLength: 16 * 12, maxLength: 16 * 12 }),
        (h, n, data) => {
          const words = new Int32Array(Uint8Array.from(data).buffer);
          const whole = new Ghash(h);
          whole.update(words, 0, n + 1);
          const shifted = new Ghash(h);
          shifted.update(words, 0, n, 1);
          const last = new Ghash(h);
          last.update(words, 4 * n, 1);
          expect([
            shifted.y0 ^ last.y0,
            shifted.y1 ^ last.y1,
            shifted.y2 ^ last.y2,
            shifted.y3 ^ last.y3,
          ]).toEqual([whole.y0, whole.y1, whole.y2, whole.y3]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('handles the extreme operands: all-ones H and blocks, and the field element 1', () => {
    // H = 1 in GCM's bit order (0x80 00 ..): multiplication by 1 is the identity.
    const one = new Uint8Array(16);
    one[0] = 0x80;
    const x = hex('ffffffffffffffffffffffffffffffff');
    const g = new Ghash(one);
    g.update(new Int32Array(Uint8Array.from(x).buffer), 0, 1);
    expect(toHex(new Uint8Array(Int32Array.of(g.y0, g.y1, g.y2, g.y3).buffer))).toBe(toHex(x));
    // All-ones operands exercise the largest partial-product counts in every column; compare with
    // node's GCM through the tag identity on a key whose H we do not choose.
    const key = hex('ffffffffffffffffffffffffffffffff');
    const iv = new Uint8Array(12).fill(0xff);
    const data = new Uint8Array(64).fill(0xff);
    const cipher = createCipheriv('aes-128-gcm', key, iv);
    cipher.setAAD(data);
    cipher.update(new Uint8Array(0));
    cipher.final();
    expect(toHex(tagViaGhash(key, iv, data, new Uint8Array(0)))).toBe(toHex(cipher.getAuthTag()));
  });
});

describe('GHASH is constant-time by construction', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Records every typed-array index the GHASH touches and every Math.imul call. */
  function trace(h: Uint8Array, data: Uint8Array, extra = 0): string[] {
    const log: string[] = [];
    const watch = (name: string, target: Int32Array) =>
      new Proxy(target, {
        get(t, key) {
          if (typeof key === 'string' && /^\d+$/.test(key)) log.push(`${name}[${key}]`);
          return Reflect.get(t, key);
        },
        set(t, key, value) {
          if (typeof key === 'string' && /^\d+$/.test(key)) log.push(`${name}[${key}]=`);
          return Reflect.set(t, key, value);
        },
      });
    const g = new Ghash(h);
    for (const field of ['h', 'v', 'w', 'z', 'y']) {
      const arr: unknown = Reflect.get(g, field);
      expect(arr).toBeInstanceOf(Int32Array);
      Reflect.set(g, field, watch(field, arr as Int32Array));
    }
    const imul = Math.imul;
    vi.spyOn(Math, 'imul').mockImplementation((a, b) => {
      log.push('imul');
      return imul(a, b);
    });
    g.update(watch('input', new Int32Array(data.buffer)), 0, data.length / 16, extra);
    vi.restoreAllMocks();
    return log;
  }

  it('touches the same memory indices and multiplies the same number of times for any key and data', () => {
    // Five blocks: one aggregated group of four and one single block.
    const reference = trace(new Uint8Array(16).fill(1), new Uint8Array(80));
    const shiftedReference = trace(new Uint8Array(16).fill(1), new Uint8Array(80), 1);
    expect(shiftedReference.filter((e) => e === 'imul')).toHaveLength(5 * 27 * 9);
    // 27 16x16 products of 9 multiplies per block.
    expect(reference.filter((e) => e === 'imul')).toHaveLength(5 * 27 * 9);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 80, maxLength: 80 }),
        (h, data) => {
          expect(trace(h, data)).toEqual(reference);
          expect(trace(h, data, 1)).toEqual(shiftedReference);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('has no data-dependent branches or table lookups in its source', () => {
    const source = readFileSync(new URL('../src/ghash.ts', import.meta.url), 'utf8')
      // Comments may say anything.
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    // No conditionals at all: the only control flow is `for` loops with public bounds.
    expect(source).not.toMatch(/\bif\s*\(|\?(?![.?])|\bswitch\b|\bwhile\b|&&|\|\|/);
    // Every array index is an expression of loop counters, offsets and constants, never a value
    // computed from the hash state or the input (those are named x*, y*, p*, q*, m*, a*, b0..b3).
    const indices = [...source.matchAll(/\b[a-z]\w*\[([^\]]+)\]/g)].map((m) => m[1]!.trim());
    expect(indices.length).toBeGreaterThan(20);
    for (const index of indices) expect(index).toMatch(/^(?:\d+|at|b|g|k|o|[ +*()-])+$/);
    // Nothing shaped like a lookup table: the largest arrays hold the pieces of H..H^5 (5 x 81).
    const sizes = [...source.matchAll(/new Int32Array\((\d+)(?: \* (GROUP|\(GROUP \+ 1\)))?\)/g)];
    expect(sizes.length).toBeGreaterThan(3);
    expect(source.match(/new Int32Array\(/g)).toHaveLength(sizes.length);
    for (const [, n, factor] of sizes) {
      const groups = factor === undefined ? 1 : factor === 'GROUP' ? 4 : 5;
      expect(Number.parseInt(n!, 10) * groups).toBeLessThanOrEqual(405);
    }
  });
});
