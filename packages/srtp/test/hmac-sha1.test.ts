import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha1 } from '../src/srtp/hmac-sha1.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);
const filled = (n: number, v: number) => new Uint8Array(n).fill(v);

/** MAC through the headroom path (the one SRTP uses) and the plain path; both must agree. */
function macBoth(key: Uint8Array, message: Uint8Array, tagLength = 20): [string, string] {
  const mac = new HmacSha1(key);
  const buf = new Uint8Array(64 + message.length + tagLength);
  buf.set(message, 64);
  mac.macWithHeadroom(buf, 0, 64 + message.length, buf, 64 + message.length, tagLength);
  const plain = new Uint8Array(tagLength);
  mac.mac(message, plain, 0, tagLength);
  return [toHex(buf.subarray(64 + message.length)), toHex(plain)];
}

describe('HMAC-SHA1 (RFC 2202 section 3)', () => {
  const cases: [string, Uint8Array, Uint8Array, string][] = [
    ['1', filled(20, 0x0b), text('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    ['2', text('Jefe'), text('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['3', filled(20, 0xaa), filled(50, 0xdd), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    [
      '4',
      Uint8Array.from({ length: 25 }, (_, i) => i + 1),
      filled(50, 0xcd),
      '4c9007f4026250c6bc8414f9bf50c86c2d7235da',
    ],
    ['5', filled(20, 0x0c), text('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    [
      '6',
      filled(80, 0xaa),
      text('Test Using Larger Than Block-Size Key - Hash Key First'),
      'aa4ae5e15272d00e95705637ce8a3b55ed402112',
    ],
    [
      '7',
      filled(80, 0xaa),
      text('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
    ],
  ];
  for (const [name, key, data, expected] of cases) {
    it(`test case ${name}`, () => {
      expect(macBoth(key, data)).toEqual([expected, expected]);
    });
  }
  it('test case 5 truncated to 96 bits, and to SRTP 80 and 32 bits (RFC 3711 4.2.1)', () => {
    expect(macBoth(filled(20, 0x0c), text('Test With Truncation'), 12)[0]).toBe('4c1a03424b55e07fe7f27be1');
    expect(macBoth(filled(20, 0x0c), text('Test With Truncation'), 10)[0]).toBe('4c1a03424b55e07fe7f2');
    expect(macBoth(filled(20, 0x0c), text('Test With Truncation'), 4)[0]).toBe('4c1a0342');
  });
});

describe('HMAC-SHA1 against node:crypto createHmac', () => {
  it('agrees for random keys (including longer than a block), messages and tag lengths', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ maxLength: 1500 }),
        fc.integer({ min: 1, max: 20 }),
        (key, message, tagLength) => {
          const expected = createHmac('sha1', key)
            .update(message)
            .digest('hex')
            .slice(0, tagLength * 2);
          expect(macBoth(key, message, tagLength)).toEqual([expected, expected]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('HMAC-SHA1 outer compression is constant-time by construction', () => {
  /** The sequence of typed-array indices the JS part touches for one MAC. */
  function trace(key: Uint8Array, message: Uint8Array): string[] {
    const log: string[] = [];
    const mac = new HmacSha1(key);
    for (const field of ['w', 'state', 'outerState']) {
      const target: unknown = Reflect.get(mac, field);
      expect(target).toBeInstanceOf(Int32Array);
      Reflect.set(
        mac,
        field,
        new Proxy(target as Int32Array, {
          get(t, k) {
            if (typeof k === 'string') log.push(`${field}.${k}`);
            const v: unknown = Reflect.get(t, k);
            return typeof v === 'function' ? v.bind(t) : v;
          },
          set(t, k, v) {
            if (typeof k === 'string') log.push(`${field}.${k}=`);
            return Reflect.set(t, k, v);
          },
        }),
      );
    }
    mac.mac(message, new Uint8Array(10), 0, 10);
    return log;
  }

  it('touches the same state and schedule indices for any key and message of a length', () => {
    const reference = trace(filled(20, 1), filled(100, 2));
    expect(reference.length).toBeGreaterThan(80 * 2);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.uint8Array({ minLength: 100, maxLength: 100 }),
        (k, m) => {
          expect(trace(k, m)).toEqual(reference);
        },
      ),
      { numRuns: 20 },
    );
  });
});
