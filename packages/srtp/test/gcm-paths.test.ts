import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GcmRtpKeystream } from '../src/srtp/gcm-rtp-keystream.js';
import { createTransform } from '../src/srtp/srtp-context.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function transforms(key: Uint8Array, salt: Uint8Array) {
  const keys = {
    rtpKey: key,
    rtpSalt: salt,
    rtpAuthKey: new Uint8Array(0),
    rtcpKey: key,
    rtcpSalt: salt,
    rtcpAuthKey: new Uint8Array(0),
  };
  const profile = key.length === 32 ? 8 : 7;
  return {
    node: createTransform(profile, keys, 0),
    // Everything through the JS path, and the default split between it and Node's GCM.
    paths: [1 << 20, undefined].map((threshold) => createTransform(profile, keys, threshold)),
  };
}

function rtpPacket(seq: number, ssrc: number, headerWords: number, payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(12 + headerWords * 4 + payload.length);
  p[0] = 0x80 | (headerWords & 0x0f);
  p[1] = 96;
  p[2] = seq >>> 8;
  p[3] = seq & 0xff;
  new DataView(p.buffer).setUint32(8, ssrc);
  for (let i = 12; i < 12 + headerWords * 4; i++) p[i] = i * 7;
  p.set(payload, 12 + headerWords * 4);
  return p;
}

describe('AES-GCM JS path with batched keystreams', () => {
  it('equals Node GCM for interleaved SSRCs, ROCs, batch edges, reordering and growing payloads', () => {
    const packetArb = fc.record({
      // More SSRCs than the keystream keeps batches for, so batches are evicted too.
      ssrc: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xffffffff),
      roc: fc.constantFrom(0, 1, 0xffff, 0x10000, 0xffffffff),
      seq: fc.oneof(
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom(0, 15, 16, 31, 32, 33, 0xffe0, 0xffff),
      ),
      headerWords: fc.integer({ min: 0, max: 9 }),
      payload: fc.uint8Array({ maxLength: 1300 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.uint8Array({ minLength: 44, maxLength: 44 }),
        fc.array(fc.tuple(packetArb, fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 24 }),
        (keyLength, material, runs) => {
          const { paths, node } = transforms(material.subarray(0, keyLength), material.subarray(32));
          for (const [p, run] of runs) {
            // A run of consecutive sequence numbers, as a sender produces.
            for (let k = 0; k < run; k++) {
              const seq = (p.seq + k) & 0xffff;
              const plain = rtpPacket(seq, p.ssrc, p.headerWords, p.payload.subarray(k));
              const h = 12 + p.headerWords * 4;
              const sealed = node.protectRtp(plain, h, p.ssrc, p.roc, seq);
              for (const js of paths) {
                expect(toHex(js.protectRtp(plain, h, p.ssrc, p.roc, seq))).toBe(toHex(sealed));
                expect(toHex(js.unprotectRtp(sealed, h, p.ssrc, p.roc, seq)!)).toBe(toHex(plain));
                // The wrong ROC or sequence number must not find another packet's keystream.
                expect(js.unprotectRtp(sealed, h, p.ssrc, (p.roc + 1) >>> 0, seq)).toBeUndefined();
                expect(js.unprotectRtp(sealed, h, p.ssrc, p.roc, seq ^ 1)).toBeUndefined();
              }
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives payloads too large to batch their own keystream; long and short headers on both paths', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);
    const { paths, node } = transforms(key, new Uint8Array(12).fill(0x5a));
    const js = paths[0]!;
    [100, 2000, 100, 4000, 50, 1536, 1537, 20].forEach((size, i) => {
      const seq = 30 + i;
      // Header lengths on both sides of the native path's reused header copies (up to 128 bytes).
      const words = [0, 29, 30, 3][i % 4]!;
      const h = 12 + 4 * words;
      const plain = rtpPacket(
        seq,
        9,
        words,
        Uint8Array.from({ length: size }, (_, k) => k ^ i),
      );
      const sealed = node.protectRtp(plain, h, 9, 3, seq);
      expect(toHex(js.protectRtp(plain, h, 9, 3, seq))).toBe(toHex(sealed));
      expect(toHex(js.unprotectRtp(sealed, h, 9, 3, seq)!)).toBe(toHex(plain));
      expect(toHex(node.unprotectRtp(sealed, h, 9, 3, seq)!)).toBe(toHex(plain));
    });
  });

  it('serves each packet the AES-CTR blocks of its own IV (RFC 7714 8.1)', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i * 3);
    const salt = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
    const view = new DataView(salt.buffer);
    const ks = new GcmRtpKeystream(key, view.getUint32(0), view.getUint32(4), view.getUint32(8));
    const ecb = createCipheriv('aes-128-ecb', key, null);
    ecb.setAutoPadding(false);
    for (const [ssrc, roc, seq, blocks] of [
      [0x01020304, 7, 31, 3],
      [0x01020304, 7, 17, 5],
      [0xdeadbeef, 0x10000, 0xffff, 2],
      [0x01020304, 7, 16, 1],
    ] as const) {
      const iv = new Uint8Array(16);
      const v = new DataView(iv.buffer);
      v.setUint32(2, ssrc);
      v.setUint32(6, roc);
      v.setUint16(10, seq);
      for (let i = 0; i < 12; i++) iv[i]! ^= salt[i]!;
      const expected: string[] = [];
      for (let j = 1; j <= blocks; j++) {
        v.setUint32(12, j);
        expected.push(toHex(ecb.update(iv)));
      }
      const buf = ks.find(ssrc, roc, seq, blocks);
      expect(toHex(buf.subarray(ks.offset, ks.offset + blocks * 16))).toBe(expected.join(''));
    }
  });
});
