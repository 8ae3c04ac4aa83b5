import { describe, expect, it } from 'vitest';
import {
  StunAttr,
  StunClass,
  StunIntegrityKey,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
  saslPrep,
} from '../src/index.js';

// RFC 5769 test vectors (Copyright (c) 2010 IETF Trust and the persons identified as the
// document authors; Simplified BSD License), transcribed from sections 2.1-2.4.
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const SAMPLE_REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);

const SAMPLE_IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);

const SAMPLE_IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);

const SAMPLE_LONG_TERM_REQUEST = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);

const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const TID = hex('b7e7a701bc34d686fa87dfae');

describe('RFC 5769 test vectors', () => {
  it('2.1 sample request: attributes, MESSAGE-INTEGRITY, FINGERPRINT', () => {
    const msg = StunMessage.parse(SAMPLE_REQUEST);
    expect(msg.method).toBe(StunMethod.Binding);
    expect(msg.messageClass).toBe(StunClass.Request);
    expect(msg.transactionId.equals(TID)).toBe(true);
    expect(msg.software()).toBe('STUN test client');
    expect(msg.username()).toBe('evtj:h6vY');
    expect(msg.priority()).toBe(0x6e0001ff);
    expect(msg.iceControlled()).toBe(0x932ff9b151263b36n);
    expect(msg.hasValidFingerprint()).toBe(true);
    expect(msg.verifyIntegrity(StunIntegrityKey.shortTerm(PASSWORD))).toBe(true);
    expect(msg.verifyIntegrity(StunIntegrityKey.shortTerm('wrong'))).toBe(false);
    // The parse patches and restores the length field: the bytes are unchanged afterwards.
    expect(SAMPLE_REQUEST.readUInt16BE(2)).toBe(0x58);
  });

  it('2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853', () => {
    const msg = StunMessage.parse(SAMPLE_IPV4_RESPONSE);
    expect(msg.messageClass).toBe(StunClass.SuccessResponse);
    expect(msg.software()).toBe('test vector');
    expect(msg.xorMappedAddress()).toEqual({ address: '192.0.2.1', port: 32853 });
    expect(msg.verifyIntegrity(StunIntegrityKey.shortTerm(PASSWORD))).toBe(true);
    expect(msg.hasValidFingerprint()).toBe(true);
  });

  it('2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
    const msg = StunMessage.parse(SAMPLE_IPV6_RESPONSE);
    expect(msg.xorMappedAddress()).toEqual({ address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    expect(msg.verifyIntegrity(StunIntegrityKey.shortTerm(PASSWORD))).toBe(true);
    expect(msg.hasValidFingerprint()).toBe(true);
  });

  it('2.4 long-term credentials with SASLprep', () => {
    const msg = StunMessage.parse(SAMPLE_LONG_TERM_REQUEST);
    expect(msg.username()).toBe('\u30de\u30c8\u30ea\u30c3\u30af\u30b9');
    expect(msg.nonce()).toBe('f//499k954d6OL34oL9FSTvy64sA');
    expect(msg.realm()).toBe('example.org');
    expect(msg.hasValidFingerprint()).toBe(false);
    expect(saslPrep('TheM\u00aatr\u2168')).toBe('TheMatrIX');
    const key = StunIntegrityKey.longTerm(msg.username()!, 'example.org', 'TheM\u00aatr\u2168');
    expect(msg.verifyIntegrity(key)).toBe(true);
    expect(msg.verifyIntegrity(StunIntegrityKey.longTerm(msg.username()!, 'example.org', 'thematrix'))).toBe(
      false,
    );
  });

  it('rebuilds the 2.2 response byte for byte except padding, and the 2.4 request exactly', () => {
    const key = StunIntegrityKey.shortTerm(PASSWORD);
    const rebuilt = new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, TID)
      .add(StunAttr.Software, 'test vector')
      .addAddress(StunAttr.XorMappedAddress, { address: '192.0.2.1', port: 32853 })
      .finish({ integrity: key, fingerprint: true });
    const again = StunMessage.parse(rebuilt);
    expect(again.xorMappedAddress()).toEqual({ address: '192.0.2.1', port: 32853 });
    // The vector pads SOFTWARE with 0x20; we pad with zeros, which changes MI and FINGERPRINT.
    expect(rebuilt.subarray(0, 35).equals(SAMPLE_IPV4_RESPONSE.subarray(0, 35))).toBe(true);
    expect(rebuilt[35]).toBe(0);
    expect(rebuilt.subarray(36, 48).equals(SAMPLE_IPV4_RESPONSE.subarray(36, 48))).toBe(true);
    expect(again.verifyIntegrity(key)).toBe(true);

    const lt = StunMessage.parse(SAMPLE_LONG_TERM_REQUEST);
    const ltKey = StunIntegrityKey.longTerm(lt.username()!, lt.realm()!, 'TheMatrIX');
    const request = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, lt.transactionId)
      .add(StunAttr.Username, lt.username()!)
      .add(StunAttr.Nonce, lt.nonce()!)
      .add(StunAttr.Realm, lt.realm()!)
      .finish({ integrity: ltKey });
    expect(request.equals(SAMPLE_LONG_TERM_REQUEST)).toBe(true);
  });
});

describe('CRC-32', () => {
  it('native and table implementations agree (check value of "123456789" is 0xCBF43926)', async () => {
    const { crc32, crc32TableOnly } = await import('../src/index.js');
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32TableOnly(check)).toBe(0xcbf43926);
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
    expect(crc32(data, 5, 250)).toBe(crc32TableOnly(data, 5, 250));
  });
});
