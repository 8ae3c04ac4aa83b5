import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { CounterKeystream } from '../src/srtp/counter-keystream.js';
import { HmacSha1 } from '../src/srtp/hmac-sha1.js';
import { deriveSessionKey, deriveSessionKeys } from '../src/srtp/key-derivation.js';
import { createTransform } from '../src/srtp/srtp-context.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('RFC 3711 B.2 AES-CM keystream', () => {
  it('reproduces the published keystream blocks', () => {
    // Session key 2B7E...; IV F0F1...FCFD0000 (salt already shifted, SSRC/ROC/SEQ zero).
    const ks = new CounterKeystream(hex('2B7E151628AED2A6ABF7158809CF4F3C'));
    const stream = ks.generate(0xf0f1f2f3, 0xf4f5f6f7, 0xf8f9fafb, 0xfcfd0000, 0, 3);
    expect(toHex(stream)).toBe(
      'e03ead0935c95e80e166b16dd92b4eb4' +
        'd23513162b02d0f72a43a2fe4a5f97ab' +
        '41e95b3bb0a2e8dd477901e4fca894c0',
    );
    // Blocks 0xFEFF..0xFF01 of the 65282-block segment.
    const tail = ks.generate(0xf0f1f2f3, 0xf4f5f6f7, 0xf8f9fafb, 0xfcfd0000, 0xfeff, 3);
    expect(toHex(tail)).toBe(
      'ec8cdf7398607cb0f2d21675ea9ea1e4' +
        '362b7c3c6773516318a077d7fc5073ae' +
        '6a2cc3787889374fbeb4c81b17ba6c44',
    );
  });
});

describe('RFC 3711 B.3 key derivation', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the cipher key, cipher salt and auth key', () => {
    expect(toHex(deriveSessionKey(masterKey, masterSalt, 0, 16))).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, 2, 14))).toBe('30cbbc08863d8c85d49db34a9ae1');
    expect(toHex(deriveSessionKey(masterKey, masterSalt, 1, 94))).toBe(
      'cebe321f6ff7716b6fd4ab49af256a15' +
        '6d38baa48f0a0acf3c34e2359e6cdbce' +
        'e049646c43d9327ad175578ef7227098' +
        '6371c10c9a369ac2f94a8c5fbcdddc25' +
        '6d6e919a48b610ef17c2041e47403576' +
        '6b68642c59bbfc2f34db60dbdfb2',
    );
  });

  it('uses the first 20 auth-key octets for HMAC-SHA1 profiles', () => {
    const keys = deriveSessionKeys(1, masterKey, masterSalt);
    expect(toHex(keys.rtpAuthKey)).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
    expect(toHex(keys.rtpKey)).toBe('c61e7a93744f39ee10734afe3ff7a087');
  });
});

describe('HMAC-SHA1 fast path (RFC 2202 test case 2)', () => {
  it('matches the published MAC via the headroom and plain paths', () => {
    const mac = new HmacSha1(new TextEncoder().encode('Jefe'));
    const msg = new TextEncoder().encode('what do ya want for nothing?');
    const buf = new Uint8Array(64 + msg.length);
    buf.set(msg, 64);
    const out = new Uint8Array(20);
    mac.macWithHeadroom(buf, 0, buf.length, out, 0, 20);
    expect(toHex(out)).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    const out2 = new Uint8Array(20);
    mac.mac(msg, out2, 0, 20);
    expect(toHex(out2)).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });
});

/** RFC 7714 16/17 give session keys directly, so these drive the transform below key derivation. */
const KEY_128 = hex('000102030405060708090a0b0c0d0e0f');
const KEY_256 = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SALT = hex('517569642070726f2071756f');
/** Both GCM implementations run every vector: the JS GHASH path and Node's GCM (threshold 0). */
const GCM_PATHS = [
  ['JS GHASH', 1 << 20],
  ['node:crypto GCM', 0],
] as const;
let gcmJsMaxPayload = 1 << 20;
const gcm = (key: Uint8Array) =>
  createTransform(
    key.length === 32 ? 8 : 7,
    {
      rtpKey: key,
      rtpSalt: SALT,
      rtpAuthKey: new Uint8Array(0),
      rtcpKey: key,
      rtcpSalt: SALT,
      rtcpAuthKey: new Uint8Array(0),
    },
    gcmJsMaxPayload,
  );

const RTP = hex(`8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
  69736120 696e2070 61727465 73207472 6573`);
const RTCP = hex(`81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
  deadbeef deadbeef deadbeef deadbeef deadbeef`);

for (const [pathName, threshold] of GCM_PATHS) {
  describe(`RFC 7714 16 SRTP AEAD vectors (${pathName})`, () => {
    beforeEach(() => {
      gcmJsMaxPayload = threshold;
    });
    const srtp128 = hex(`8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
    0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce`);
    const srtp256 = hex(`8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238
    9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13`);

    it('16.1.1 encrypts with AEAD_AES_128_GCM', () => {
      expect(toHex(gcm(KEY_128).protectRtp(RTP, 12, 0x5501a0b2, 0, 0xf17b))).toBe(toHex(srtp128));
    });
    it('16.1.2 decrypts with AEAD_AES_128_GCM', () => {
      expect(toHex(gcm(KEY_128).unprotectRtp(srtp128, 12, 0x5501a0b2, 0, 0xf17b)!)).toBe(toHex(RTP));
    });
    it('16.2.1 encrypts with AEAD_AES_256_GCM', () => {
      expect(toHex(gcm(KEY_256).protectRtp(RTP, 12, 0x5501a0b2, 0, 0xf17b))).toBe(toHex(srtp256));
    });
    it('16.2.2 decrypts with AEAD_AES_256_GCM', () => {
      expect(toHex(gcm(KEY_256).unprotectRtp(srtp256, 12, 0x5501a0b2, 0, 0xf17b)!)).toBe(toHex(RTP));
    });
    it('rejects the vector under the wrong ROC or with a flipped bit', () => {
      expect(gcm(KEY_128).unprotectRtp(srtp128, 12, 0x5501a0b2, 1, 0xf17b)).toBeUndefined();
      const flipped = Uint8Array.from(srtp128);
      flipped[20]! ^= 1;
      expect(gcm(KEY_128).unprotectRtp(flipped, 12, 0x5501a0b2, 0, 0xf17b)).toBeUndefined();
    });
  });

  describe(`RFC 7714 17 SRTCP AEAD vectors (${pathName})`, () => {
    beforeEach(() => {
      gcmJsMaxPayload = threshold;
    });
    it('17.1 encrypts and tags with AEAD_AES_128_GCM, index 0x5d4', () => {
      const expected = hex(`81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
      c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4`);
      expect(toHex(gcm(KEY_128).protectRtcp(RTCP, 0x4d617273, 0x5d4))).toBe(toHex(expected));
    });
    it('17.2 verifies and decrypts with AEAD_AES_256_GCM', () => {
      const packet = hex(`81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50
      a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c b26ac3be 800005d4`);
      expect(toHex(gcm(KEY_256).unprotectRtcp(packet, 0x4d617273)!)).toBe(toHex(RTCP));
    });
    it('17.3/17.4 verifies tagged-only (E=0) packets with both key sizes', () => {
      const tagged128 = hex(`81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
      deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4`);
      const tagged256 = hex(`81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
      deadbeef deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393 ed2615fe 000005d4`);
      expect(toHex(gcm(KEY_128).unprotectRtcp(tagged128, 0x4d617273)!)).toBe(toHex(RTCP));
      expect(toHex(gcm(KEY_256).unprotectRtcp(tagged256, 0x4d617273)!)).toBe(toHex(RTCP));
      const bad = Uint8Array.from(tagged128);
      bad[10]! ^= 0x80;
      expect(gcm(KEY_128).unprotectRtcp(bad, 0x4d617273)).toBeUndefined();
    });
  });
}

describe('GCM JS path against node:crypto GCM', () => {
  it('produces identical packets for random keys, lengths and header sizes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.uint8Array({ maxLength: 1500 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0x7fffffff }),
        (keyLength, keyBytes, salt, csrcs, payload, roc, index) => {
          const key = keyBytes.subarray(0, keyLength);
          const keys = {
            rtpKey: key,
            rtpSalt: salt,
            rtpAuthKey: new Uint8Array(0),
            rtcpKey: key,
            rtcpSalt: salt,
            rtcpAuthKey: new Uint8Array(0),
          };
          const profile = keyLength === 32 ? 8 : 7;
          const js = createTransform(profile, keys, 1 << 20);
          const native = createTransform(profile, keys, 0);
          const header = 12 + csrcs * 4;
          const packet = new Uint8Array(header + payload.length);
          packet[0] = 0x80 | csrcs;
          packet.set(payload, header);
          const a = js.protectRtp(packet, header, 0x1234, roc, 77);
          expect(toHex(a)).toBe(toHex(native.protectRtp(packet, header, 0x1234, roc, 77)));
          expect(toHex(js.unprotectRtp(a, header, 0x1234, roc, 77)!)).toBe(toHex(packet));
          const rtcp = new Uint8Array(8 + payload.length);
          rtcp[0] = 0x80;
          rtcp.set(payload, 8);
          const b = js.protectRtcp(rtcp, 0x1234, index);
          expect(toHex(b)).toBe(toHex(native.protectRtcp(rtcp, 0x1234, index)));
          expect(toHex(native.unprotectRtcp(b, 0x1234)!)).toBe(toHex(rtcp));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('AES-CM transform against an independent CTR computation', () => {
  it('encrypts the payload with AES-128-CTR at the RFC 3711 4.1.1 IV', () => {
    const keys = deriveSessionKeys(
      1,
      hex('E1F97A0D3E018BE0D64FA32C06DE4139'),
      hex('0EC675AD498AFEEBB6960B3AABE6'),
    );
    const t = createTransform(1, keys);
    const payload = Uint8Array.from({ length: 100 }, (_, i) => i);
    const packet = new Uint8Array(12 + payload.length);
    packet.set(hex('80601234 00000001 cafebabe'));
    packet.set(payload, 12);
    const out = t.protectRtp(packet, 12, 0xcafebabe, 7, 0x1234);
    const iv = new Uint8Array(16);
    iv.set(keys.rtpSalt);
    const ivTail = hex('cafebabe 00000007 1234');
    for (let i = 0; i < 10; i++) iv[4 + i]! ^= ivTail[i]!;
    const ctr = createCipheriv('aes-128-ctr', keys.rtpKey, iv).update(payload);
    expect(toHex(out.subarray(12, 112))).toBe(toHex(ctr));
    expect(out.length).toBe(122);
    expect(toHex(t.unprotectRtp(out, 12, 0xcafebabe, 7, 0x1234)!)).toBe(toHex(packet));
  });
});
