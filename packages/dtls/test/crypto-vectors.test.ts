import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aeadOpen, aeadSeal, Dtls12RecordAead } from '../src/crypto/aead.js';
import { generateEphemeralKey } from '../src/crypto/ecdhe.js';
import { expandKeyBlock, exportKeyingMaterial, prf } from '../src/crypto/prf.js';

const hex = (s: string) => Buffer.from(s.replace(/[\s:]/g, ''), 'hex');

describe('TLS 1.2 PRF (RFC 5246 5)', () => {
  // The widely used TLS 1.2 PRF vectors (IETF TLS WG list, 2009), also reproduced by
  // `openssl kdf -kdfopt digest:SHA256 ... TLS1-PRF`.
  it('P_SHA256 vector', () => {
    const out = prf(
      'sha256',
      hex('9bbe436ba940f017b17652849a71db35'),
      'test label',
      hex('a0ba9f936cda311827a6f796ffd5198c'),
      100,
    );
    expect(out).toEqual(
      hex(`e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa0
        22f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66`),
    );
  });

  it('P_SHA384 vector', () => {
    const out = prf(
      'sha384',
      hex('b80b733d6ceefcdc71566ea48e5567df'),
      'test label',
      hex('cd665cf6a8447dd6ff8b27555edb7465'),
      148,
    );
    expect(out).toEqual(
      hex(`7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534
        cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd
        4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f`),
    );
  });

  it('key block splits as client key, server key, client IV, server IV (RFC 5246 6.3)', () => {
    const master = Buffer.alloc(48, 7);
    const cr = Buffer.alloc(32, 1);
    const sr = Buffer.alloc(32, 2);
    const kb = expandKeyBlock('sha256', master, cr, sr, 16, 4);
    const whole = prf('sha256', master, 'key expansion', Buffer.concat([sr, cr]), 40);
    expect(Buffer.concat([kb.clientWriteKey, kb.serverWriteKey, kb.clientWriteIv, kb.serverWriteIv])).toEqual(
      whole,
    );
  });

  it('exporter seeds with client random then server random, context length-prefixed (RFC 5705 4)', () => {
    const master = Buffer.alloc(48, 9);
    const cr = Buffer.alloc(32, 1);
    const sr = Buffer.alloc(32, 2);
    expect(exportKeyingMaterial('sha256', master, 'EXTRACTOR-dtls_srtp', cr, sr, 60)).toEqual(
      prf('sha256', master, 'EXTRACTOR-dtls_srtp', Buffer.concat([cr, sr]), 60),
    );
    expect(exportKeyingMaterial('sha256', master, 'L', cr, sr, 20, Buffer.from('ctx'))).toEqual(
      prf('sha256', master, 'L', Buffer.concat([cr, sr, Buffer.of(0, 3), Buffer.from('ctx')]), 20),
    );
  });
});

describe('AEAD primitives', () => {
  // GCM specification (McGrew & Viega), test cases 4 and 16.
  const gcmP = hex(
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  );
  const gcmA = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
  const gcmIv = hex('cafebabefacedbaddecaf888');

  it('AES-128-GCM test case 4', () => {
    const sealed = aeadSeal('aes-128-gcm', hex('feffe9928665731c6d6a8f9467308308'), gcmIv, gcmA, gcmP);
    expect(sealed).toEqual(
      hex(`42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091
        5bc94fbc3221a5db94fae95ae7121a47`),
    );
  });

  it('AES-256-GCM test case 16', () => {
    const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const sealed = aeadSeal('aes-256-gcm', key, gcmIv, gcmA, gcmP);
    expect(sealed).toEqual(
      hex(`522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
        76fc6ece0f4e1768cddf8853bb2d551b`),
    );
    expect(aeadOpen('aes-256-gcm', key, gcmIv, gcmA, sealed)).toEqual(gcmP);
    sealed[3]! ^= 1;
    expect(aeadOpen('aes-256-gcm', key, gcmIv, gcmA, sealed)).toBeUndefined();
  });

  it('ChaCha20-Poly1305 RFC 8439 2.8.2', () => {
    const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hex('070000004041424344454647');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const pt = Buffer.from(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    expect(aeadSeal('chacha20-poly1305', key, nonce, aad, pt)).toEqual(
      hex(`d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
        92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116
        1ae10b594f09e26a7e902ecbd0600691`),
    );
  });
});

describe('DTLS 1.2 AEAD record layout', () => {
  const key16 = Buffer.alloc(16, 0x11);
  const key32 = Buffer.alloc(32, 0x22);

  it('GCM: nonce = 4-byte salt + 8-byte explicit nonce carried in the record (RFC 5288 3)', () => {
    const salt = hex('01020304');
    const aead = new Dtls12RecordAead('aes-128-gcm', key16, salt);
    const record = aead.seal(23, 0xfefd, 1, 0x0000_0102_0304, Buffer.from('hello'));
    expect(record.subarray(0, 11)).toEqual(hex('17fefd0001000001020304'));
    expect(record.readUInt16BE(11)).toBe(8 + 5 + 16);
    const explicit = record.subarray(13, 21);
    expect(explicit).toEqual(hex('0001000001020304'));
    // RFC 6347 4.1.2.1 + RFC 5246 6.2.3.3: AAD = epoch||seq, type, version, plaintext length.
    const aad = hex('0001000001020304 17 fefd 0005');
    const d = createDecipheriv('aes-128-gcm', key16, Buffer.concat([salt, explicit]));
    d.setAAD(aad);
    d.setAuthTag(record.subarray(record.length - 16));
    expect(Buffer.concat([d.update(record.subarray(21, record.length - 16)), d.final()])).toEqual(
      Buffer.from('hello'),
    );
    expect(aead.open(23, 0xfefd, 1, 0x0000_0102_0304, record.subarray(13))).toEqual(Buffer.from('hello'));
  });

  it('ChaCha20-Poly1305: nonce = IV XOR padded epoch||seq, no explicit nonce (RFC 7905 2)', () => {
    const iv = hex('a0a1a2a3a4a5a6a7a8a9aaab');
    const aead = new Dtls12RecordAead('chacha20-poly1305', key32, iv);
    const record = aead.seal(22, 0xfefd, 1, 5, Buffer.from('finished!!!!'));
    expect(record.readUInt16BE(11)).toBe(12 + 16);
    const nonce = Buffer.from(iv);
    const seqNum = hex('0001000000000005');
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seqNum[i]!;
    const aad = hex('0001000000000005 16 fefd 000c');
    const body = record.subarray(13);
    expect(aeadOpen('chacha20-poly1305', key32, nonce, aad, body)).toEqual(Buffer.from('finished!!!!'));
  });

  it('rejects a record whose header was altered', () => {
    const aead = new Dtls12RecordAead('aes-256-gcm', key32, hex('0a0b0c0d'));
    const record = aead.seal(23, 0xfefd, 1, 9, Buffer.from('data'));
    expect(aead.open(23, 0xfefd, 1, 10, record.subarray(13))).toBeUndefined();
    expect(aead.open(22, 0xfefd, 1, 9, record.subarray(13))).toBeUndefined();
    expect(aead.open(23, 0xfefd, 1, 9, record.subarray(13, 20))).toBeUndefined();
  });
});

describe('ECDHE key agreement', () => {
  it('agrees on a secret for each group and refuses invalid peer values', () => {
    for (const group of [0x001d, 0x0017, 0x0018] as const) {
      const a = generateEphemeralKey(group);
      const b = generateEphemeralKey(group);
      expect(a.deriveSharedSecret(b.publicKey)).toEqual(b.deriveSharedSecret(a.publicKey));
      expect(() => a.deriveSharedSecret(Buffer.alloc(a.publicKey.length))).toThrow();
      expect(() => a.deriveSharedSecret(b.publicKey.subarray(1))).toThrow();
    }
  });
});
