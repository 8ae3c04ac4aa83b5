import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_JS_AFTER_RECORDS, DEFAULT_MAX_JS_PLAINTEXT, Dtls12RecordAead } from '../src/crypto/aead.js';
import { Dtls12GcmJs } from '../src/crypto/gcm-js.js';
import { parseDatagram } from '../src/record/record.js';
import { Dtls12RecordLayer } from '../src/record/record-layer.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const MAX = DEFAULT_MAX_JS_PLAINTEXT;
const HEADER = 13;
const EXPLICIT = 8;

/** Node's GCM only: the reference the JS path must match byte for byte. */
const native = (alg: 'aes-128-gcm' | 'aes-256-gcm', key: Buffer, salt: Buffer) =>
  new Dtls12RecordAead(alg, key, salt, -1);
/** The JS path from the first small record (by default a direction earns it after 64). */
const jsFirst = (alg: 'aes-128-gcm' | 'aes-256-gcm', key: Buffer, salt: Buffer) =>
  new Dtls12RecordAead(alg, key, salt, MAX, 0);

describe('JS AES-GCM for DTLS 1.2 records (RFC 5288 3, RFC 6347 4.1.2.1)', () => {
  // GCM specification (McGrew & Viega) test cases 4 and 16: IV cafebabe || facedbaddecaf888 is
  // salt || nonce_explicit with epoch 0xface and sequence number 0xdbaddecaf888. The ciphertext
  // does not depend on the AAD, so it must equal the published C; the tag covers our 13-byte AAD,
  // so it is checked against Node's GCM for that AAD.
  const p = hex(
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  );
  const salt = hex('cafebabe');
  const epoch = 0xface;
  const seq = 0xdbaddecaf888;
  for (const [alg, key, c] of [
    [
      'aes-128-gcm',
      'feffe9928665731c6d6a8f9467308308',
      '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    ],
    [
      'aes-256-gcm',
      'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    ],
  ] as const) {
    it(`${alg}: GCM spec test case ${alg === 'aes-128-gcm' ? 4 : 16} ciphertext, Node's tag, and open`, () => {
      const js = new Dtls12GcmJs(hex(key), salt, MAX);
      const record = js.seal(23, 0xfefd, epoch, seq, p);
      expect(record.subarray(0, HEADER).toString('hex')).toBe(
        `17fefdfacedbaddecaf888${(8 + 60 + 16).toString(16).padStart(4, '0')}`,
      );
      expect(record.subarray(HEADER, HEADER + EXPLICIT).toString('hex')).toBe('facedbaddecaf888');
      expect(record.subarray(HEADER + EXPLICIT, HEADER + EXPLICIT + 60).toString('hex')).toBe(c);
      expect(record).toEqual(native(alg, hex(key), salt).seal(23, 0xfefd, epoch, seq, p));
      expect(js.open(23, 0xfefd, epoch, seq, record.subarray(HEADER))).toEqual(p);
    });
  }

  it('equals Node GCM records for random keys, salts, epochs, sequence runs and lengths 0..crossover', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('aes-128-gcm' as const, 'aes-256-gcm' as const),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2 ** 48 - 200 })),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: MAX }),
            fc.constantFrom(20, 21, 22, 23),
            fc.integer({ min: 1, max: 3 }),
          ),
          {
            minLength: 1,
            maxLength: 45,
          },
        ),
        (alg, keyBytes, saltBytes, ep, start, drawn) => {
          // At least one application-data record, so the JS path is always exercised.
          const records: Array<[number, number, number]> = [[17, 23, 1], ...drawn];
          const key = Buffer.from(keyBytes.subarray(0, alg === 'aes-128-gcm' ? 16 : 32));
          const s = Buffer.from(saltBytes);
          const ours = jsFirst(alg, key, s);
          const reference = native(alg, key, s);
          const opener = jsFirst(alg, key, s);
          let n = start;
          for (const [length, type, step] of records) {
            const plaintext = Buffer.alloc(length, length & 0xff);
            const sealed = ours.seal(type, 0xfefd, ep, n, plaintext);
            expect(sealed).toEqual(reference.seal(type, 0xfefd, ep, n, plaintext));
            expect(opener.open(type, 0xfefd, ep, n, sealed.subarray(HEADER))).toEqual(plaintext);
            expect(reference.open(type, 0xfefd, ep, n, sealed.subarray(HEADER))).toEqual(plaintext);
            n += step;
          }
          // The JS path, not Node's, produced those records.
          expect(Reflect.get(ours, 'js')).toBeInstanceOf(Dtls12GcmJs);
          expect(Reflect.get(opener, 'js')).toBeInstanceOf(Dtls12GcmJs);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('equals Node GCM across the 2^32 sequence-number edge, where the nonce word above the batch changes', () => {
    const key = Buffer.alloc(16, 0x42);
    const salt = Buffer.alloc(4, 0x24);
    const ours = jsFirst('aes-128-gcm', key, salt);
    const opener = jsFirst('aes-128-gcm', key, salt);
    const reference = native('aes-128-gcm', key, salt);
    for (let seq = 2 ** 32 - 70; seq < 2 ** 32 + 70; seq++) {
      const plaintext = Buffer.alloc(seq % 97, seq & 0xff);
      const sealed = ours.seal(23, 0xfefd, 3, seq, plaintext);
      expect(sealed).toEqual(reference.seal(23, 0xfefd, 3, seq, plaintext));
      expect(opener.open(23, 0xfefd, 3, seq, sealed.subarray(HEADER))).toEqual(plaintext);
    }
  });

  it('rejects every single-bit flip of nonce, ciphertext or tag, and a wrong AAD field, with no output', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: MAX }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (keyBytes, length, at, bit) => {
          const key = Buffer.from(keyBytes);
          const salt = Buffer.alloc(4, 9);
          const sealer = jsFirst('aes-128-gcm', key, salt);
          const opener = jsFirst('aes-128-gcm', key, salt);
          const record = sealer.seal(23, 0xfefd, 1, 5, Buffer.alloc(length, 0x61));
          const fragment = Buffer.from(record.subarray(HEADER));
          fragment[at % fragment.length]! ^= 1 << bit;
          expect(opener.open(23, 0xfefd, 1, 5, fragment)).toBeUndefined();
          const intact = record.subarray(HEADER);
          // The AAD binds type, version, epoch, sequence number and length (RFC 5246 6.2.3.3).
          expect(opener.open(22, 0xfefd, 1, 5, intact)).toBeUndefined();
          expect(opener.open(23, 0xfeff, 1, 5, intact)).toBeUndefined();
          expect(opener.open(23, 0xfefd, 2, 5, intact)).toBeUndefined();
          expect(opener.open(23, 0xfefd, 1, 6, intact)).toBeUndefined();
          expect(opener.open(23, 0xfefd, 1, 5, intact)).toEqual(Buffer.alloc(length, 0x61));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('opens records from a peer whose explicit nonces are not epoch || seq (random, or reused across lengths)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.array(fc.tuple(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: MAX })), {
          minLength: 1,
          maxLength: 20,
        }),
        (keyBytes, records) => {
          const key = Buffer.from(keyBytes);
          const salt = Buffer.alloc(4, 1);
          const opener = jsFirst('aes-128-gcm', key, salt);
          for (const [seq, [explicit, length]] of records.entries()) {
            // Sealed with Node's GCM directly under the chosen nonce, as another stack might.
            const fragment = sealWithExplicit(
              key,
              salt,
              Buffer.from(explicit),
              1,
              seq,
              Buffer.alloc(length, 7),
            );
            expect(opener.open(23, 0xfefd, 1, seq, fragment)).toEqual(Buffer.alloc(length, 7));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a forged small record is dropped as bad-auth and leaves the replay window where it was', () => {
    const a = new Dtls12RecordLayer();
    const b = new Dtls12RecordLayer();
    const k = Buffer.alloc(32, 3);
    const iv = Buffer.alloc(4, 4);
    a.installWriteEpoch(1, jsFirst('aes-256-gcm', k, iv));
    b.installReadEpoch(1, jsFirst('aes-256-gcm', k, iv));
    const genuine = a.protect(1, 23, Buffer.from('small'));
    const forged = Buffer.from(genuine);
    forged[forged.length - 1]! ^= 0x80;
    const [bad] = parseDatagram(forged).records;
    expect(b.unprotect(bad!)).toBe('bad-auth');
    const [good] = parseDatagram(genuine).records;
    expect(b.unprotect(good!)).toMatchObject({ seq: 0, data: Buffer.from('small') });
    expect(b.unprotect(good!)).toBe('replay');
  });

  it('keeps handshake records on Node: a connection that never carries application data builds no JS state', () => {
    const aead = new Dtls12RecordAead('aes-128-gcm', Buffer.alloc(16, 1), Buffer.alloc(4, 2));
    const finished = aead.seal(22, 0xfefd, 1, 0, Buffer.alloc(16, 3));
    aead.seal(21, 0xfefd, 1, 1, Buffer.of(1, 0));
    expect(Reflect.get(aead, 'js')).toBeUndefined();
    const opener = new Dtls12RecordAead('aes-128-gcm', Buffer.alloc(16, 1), Buffer.alloc(4, 2));
    expect(opener.open(22, 0xfefd, 1, 0, finished.subarray(HEADER))).toEqual(Buffer.alloc(16, 3));
    expect(Reflect.get(opener, 'js')).toBeUndefined();
  });

  it('a direction builds the JS path only after 64 small application-data records (idle connections keep their memory)', () => {
    const key = Buffer.alloc(16, 7);
    const salt = Buffer.alloc(4, 8);
    const sealer = new Dtls12RecordAead('aes-128-gcm', key, salt);
    const opener = new Dtls12RecordAead('aes-128-gcm', key, salt);
    const reference = native('aes-128-gcm', key, salt);
    for (let seq = 0; seq < 70; seq++) {
      const data = Buffer.alloc(40, seq);
      const record = sealer.seal(23, 0xfefd, 1, seq, data);
      expect(record).toEqual(reference.seal(23, 0xfefd, 1, seq, data));
      expect(opener.open(23, 0xfefd, 1, seq, record.subarray(HEADER))).toEqual(data);
      const built = seq >= DEFAULT_JS_AFTER_RECORDS;
      expect(Reflect.get(sealer, 'js') !== undefined).toBe(built);
      expect(Reflect.get(opener, 'js') !== undefined).toBe(built);
    }
  });

  it('keeps ChaCha20-Poly1305 and records above the crossover on Node (same bytes as Node either way)', () => {
    const key = Buffer.alloc(32, 5);
    const iv = Buffer.alloc(12, 6);
    const chacha = new Dtls12RecordAead('chacha20-poly1305', key, iv);
    const small = chacha.seal(23, 0xfefd, 1, 1, Buffer.from('hi'));
    expect(small.length).toBe(HEADER + 2 + 16);
    expect(
      new Dtls12RecordAead('chacha20-poly1305', key, iv).open(23, 0xfefd, 1, 1, small.subarray(HEADER)),
    ).toEqual(Buffer.from('hi'));
    const big = Buffer.alloc(MAX + 1, 1);
    const gcmKey = Buffer.alloc(16, 5);
    const salt = Buffer.alloc(4, 6);
    expect(jsFirst('aes-128-gcm', gcmKey, salt).seal(23, 0xfefd, 1, 2, big)).toEqual(
      native('aes-128-gcm', gcmKey, salt).seal(23, 0xfefd, 1, 2, big),
    );
  });
});

/** A GCM record fragment (nonce_explicit || ciphertext || tag) sealed by Node under any explicit nonce. */
function sealWithExplicit(
  key: Buffer,
  salt: Buffer,
  explicit: Buffer,
  epoch: number,
  seq: number,
  plaintext: Buffer,
): Buffer {
  const aad = Buffer.alloc(13);
  aad.writeUInt16BE(epoch, 0);
  aad.writeUIntBE(seq, 2, 6);
  aad[8] = 23;
  aad.writeUInt16BE(0xfefd, 9);
  aad.writeUInt16BE(plaintext.length, 11);
  const c = createCipheriv('aes-128-gcm', key, Buffer.concat([salt, explicit]));
  c.setAAD(aad);
  return Buffer.concat([explicit, c.update(plaintext), c.final(), c.getAuthTag()]);
}

describe('the JS record path is constant-time by construction', () => {
  /**
   * Records every typed-array index the record path touches (stage, keystream, tag and the GHASH
   * state; the L * H cache is a map keyed by the public length) and every Math.imul, for seal then open of records of fixed lengths.
   */
  function trace(key: Buffer, salt: Buffer, payloads: Buffer[]): string[] {
    const log: string[] = [];
    const watched = new WeakMap<Int32Array, Int32Array>();
    const watch = (name: string, target: Int32Array): Int32Array => {
      let proxy = watched.get(target);
      if (!proxy) {
        proxy = new Proxy(target, {
          get(t, k) {
            if (typeof k === 'string' && /^\d+$/.test(k)) log.push(`${name}[${k}]`);
            const v = Reflect.get(t, k);
            // Typed-array methods (fill, set, subarray) must run on the real array.
            return typeof v === 'function' ? v.bind(t) : v;
          },
          set(t, k, value) {
            if (typeof k === 'string' && /^\d+$/.test(k)) log.push(`${name}[${k}]=`);
            return Reflect.set(t, k, value);
          },
        });
        watched.set(target, proxy);
      }
      return proxy;
    };
    const sealer = new Dtls12GcmJs(key, salt, MAX);
    const opener = new Dtls12GcmJs(key, salt, MAX);
    for (const js of [sealer, opener]) {
      for (const field of ['stageWords', 'tagWords']) {
        Reflect.set(js, field, watch(field, Reflect.get(js, field) as Int32Array));
      }
      const keystream = Reflect.get(js, 'keystream') as object;
      Reflect.set(
        js,
        'keystream',
        new Proxy(keystream, {
          get: (t, k) =>
            k === 'words' ? watch('keystream', Reflect.get(t, k) as Int32Array) : Reflect.get(t, k),
        }),
      );
      const ghash = Reflect.get(js, 'ghash') as object;
      for (const field of ['h', 'v', 'w', 'z', 'y']) {
        Reflect.set(ghash, field, watch(`ghash.${field}`, Reflect.get(ghash, field) as Int32Array));
      }
    }
    const imul = Math.imul;
    vi.spyOn(Math, 'imul').mockImplementation((a, b) => {
      log.push('imul');
      return imul(a, b);
    });
    try {
      payloads.forEach((p, seq) => {
        const record = sealer.seal(23, 0xfefd, 1, seq, p);
        log.push('open');
        expect(opener.open(23, 0xfefd, 1, seq, record.subarray(HEADER))).toEqual(p);
      });
    } finally {
      vi.restoreAllMocks();
    }
    return log;
  }

  it('touches the same indices and multiplies as often for any key, salt and data of the same lengths', () => {
    const lengths = [0, 1, 40, 63, 200, MAX];
    const reference = trace(
      Buffer.alloc(16),
      Buffer.alloc(4),
      lengths.map((n) => Buffer.alloc(n)),
    );
    expect(reference.filter((e) => e === 'imul').length).toBeGreaterThan(1000);
    for (const array of ['stageWords', 'keystream', 'tagWords', 'ghash.h', 'ghash.y']) {
      expect(reference.some((e) => e.startsWith(`${array}[`))).toBe(true);
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ minLength: MAX, maxLength: MAX }),
        (key, salt, data) => {
          const payloads = lengths.map((n) => Buffer.from(data.subarray(0, n)));
          expect(trace(Buffer.from(key), Buffer.from(salt), payloads)).toEqual(reference);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('compares tags with timingSafeEqual and branches only on lengths and the verdict', () => {
    const source = readFileSync(new URL('../src/crypto/gcm-js.ts', import.meta.url), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(source).toMatch(/timingSafeEqual\(tag, fragment\.subarray/);
    const conditions = [...source.matchAll(/\bif\s*\((.*)\)/g)].map((m) => m[1]);
    expect(conditions).toEqual([
      '!product',
      'length < 0 || length > this.maxPlaintext',
      '!timingSafeEqual(tag, fragment.subarray(EXPLICIT_NONCE_LENGTH + length))',
    ]);
    expect(source).not.toMatch(/\?(?![.?])|\bswitch\b|\bwhile\b/);
  });
});
