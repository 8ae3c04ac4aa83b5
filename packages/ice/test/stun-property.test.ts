import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAGIC_COOKIE,
  StunAttr,
  StunClass,
  StunIntegrityKey,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
  StunParseError,
} from '../src/index.js';

function build(type: number, length: number, body: Uint8Array, tid: Uint8Array): Buffer {
  const b = Buffer.alloc(20 + body.length);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(length, 2);
  b.writeUInt32BE(MAGIC_COOKIE, 4);
  b.set(tid, 8);
  b.set(body, 20);
  return b;
}

const attribute = fc.record({
  type: fc.oneof(fc.constantFrom(...Object.values(StunAttr)), fc.integer({ min: 0, max: 0xffff })),
  value: fc.uint8Array({ maxLength: 40 }),
});

function rebuild(msg: StunMessage): Buffer {
  const b = new StunMessageBuilder(msg.method, msg.messageClass, msg.transactionId);
  for (const a of msg.attributes) b.add(a.type, msg.raw.subarray(a.offset, a.offset + a.length));
  return b.finish();
}

describe('STUN parser properties', () => {
  it('never throws anything but StunParseError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          StunMessage.parse(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(StunParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but StunParseError on well-framed random attribute soup', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x3fff }),
        fc.array(attribute, { maxLength: 8 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        (type, attrs, tid) => {
          const parts: Buffer[] = [];
          for (const a of attrs) {
            const h = Buffer.alloc(4);
            h.writeUInt16BE(a.type, 0);
            h.writeUInt16BE(a.value.length, 2);
            parts.push(h, Buffer.from(a.value), Buffer.alloc((4 - (a.value.length % 4)) % 4));
          }
          const body = Buffer.concat(parts);
          const bytes = build(type, body.length, body, tid);
          let msg: StunMessage;
          try {
            msg = StunMessage.parse(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(StunParseError);
            return;
          }
          // Every accessor works on whatever was accepted.
          msg.username();
          msg.xorMappedAddress();
          msg.errorCode();
          msg.unknownAttributes();
          msg.passwordAlgorithms();
          msg.verifyIntegrity(StunIntegrityKey.shortTerm('x'));
          msg.hasValidFingerprint();
          // Round trip: re-encoding what was accepted parses to the same thing.
          const again = StunMessage.parse(rebuild(msg));
          expect(again.method).toBe(msg.method);
          expect(again.messageClass).toBe(msg.messageClass);
          expect(again.transactionId.equals(msg.transactionId)).toBe(true);
          expect(again.attributes.map((a) => [a.type, a.length])).toEqual(
            msg.attributes.map((a) => [a.type, a.length]),
          );
          for (let i = 0; i < msg.attributes.length; i++) {
            const x = msg.attributes[i]!;
            const y = again.attributes[i]!;
            expect(
              again.raw
                .subarray(y.offset, y.offset + y.length)
                .equals(msg.raw.subarray(x.offset, x.offset + x.length)),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('round-trips built messages with integrity and fingerprint, and detects any bit flip', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(StunMethod)),
        fc.constantFrom(...Object.values(StunClass)),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.string({ maxLength: 30 }),
        fc.nat({ max: 200 }),
        (method, cls, tid, username, flipAt) => {
          const key = StunIntegrityKey.shortTerm('password');
          const bytes = new StunMessageBuilder(method, cls, tid)
            .add(StunAttr.Username, username)
            .addU32(StunAttr.Priority, 12345)
            .finish({ integrity: key, fingerprint: true });
          const msg = StunMessage.parse(bytes);
          expect(msg.method).toBe(method);
          expect(msg.messageClass).toBe(cls);
          expect(msg.username()).toBe(username);
          expect(msg.verifyIntegrity(key)).toBe(true);
          expect(msg.hasValidFingerprint()).toBe(true);
          const flipped = Buffer.from(bytes);
          const i = 20 + (flipAt % (bytes.length - 20));
          flipped[i]! ^= 0x01;
          const m2 = StunMessage.tryParse(flipped);
          if (m2) expect(m2.verifyIntegrity(key) && m2.hasValidFingerprint()).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('STUN codec rules', () => {
  const tid = Buffer.alloc(12, 7);

  it('ignores attributes after MESSAGE-INTEGRITY except MI-SHA256 and FINGERPRINT', () => {
    const key = StunIntegrityKey.shortTerm('k');
    const signed = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid)
      .add(StunAttr.Username, 'a:b')
      .finish({ integrity: key });
    const extra = Buffer.from([0x00, 0x24, 0x00, 0x04, 1, 2, 3, 4]);
    const tampered = Buffer.concat([signed, extra]);
    tampered.writeUInt16BE(tampered.length - 20, 2);
    const msg = StunMessage.parse(tampered);
    expect(msg.priority()).toBeUndefined();
    expect(msg.verifyIntegrity(key)).toBe(true);
  });

  it('supports MESSAGE-INTEGRITY-SHA256 alongside MESSAGE-INTEGRITY', () => {
    const key = StunIntegrityKey.longTerm('user', 'realm', 'pass', 'sha256');
    const bytes = new StunMessageBuilder(StunMethod.Allocate, StunClass.Request, tid)
      .addRequestedTransport(17)
      .finish({ integrity: key, integritySha256: key, fingerprint: true });
    const msg = StunMessage.parse(bytes);
    expect(msg.integritySha256Offset).toBeGreaterThan(msg.integrityOffset);
    expect(msg.verifyIntegrity(key)).toBe(true);
    expect(msg.verifyIntegrity(StunIntegrityKey.longTerm('user', 'realm', 'other', 'sha256'))).toBe(false);
    expect(msg.requestedTransport()).toBe(17);
  });

  it('reports unknown comprehension-required attributes and keeps optional ones', () => {
    const bytes = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid)
      .add(0x7777, 'x')
      .add(0xc057, Buffer.from([0, 1, 0, 0]))
      .finish();
    const msg = StunMessage.parse(bytes);
    expect(msg.unknownComprehensionRequired()).toEqual([0x7777]);
    expect(msg.get(0xc057)?.equals(Buffer.from([0, 1, 0, 0]))).toBe(true);
  });

  it('encodes and decodes TURN attributes', () => {
    const peer = { address: '2001:db8::5', port: 4000 };
    const bytes = new StunMessageBuilder(StunMethod.ChannelBind, StunClass.Request, tid)
      .addChannelNumber(0x4001)
      .addAddress(StunAttr.XorPeerAddress, peer)
      .addAddress(StunAttr.XorRelayedAddress, { address: '198.51.100.1', port: 50000 })
      .addU32(StunAttr.Lifetime, 600)
      .addRequestedAddressFamily(6)
      .addEvenPort(true)
      .add(StunAttr.ReservationToken, Buffer.alloc(8, 1))
      .addFlag(StunAttr.DontFragment)
      .add(StunAttr.Data, Buffer.from('hello'))
      .addErrorCode(438, 'Stale Nonce')
      .addUnknownAttributes([0x1234, 0x5678])
      .finish();
    const msg = StunMessage.parse(bytes);
    expect(msg.channelNumber()).toBe(0x4001);
    expect(msg.address(StunAttr.XorPeerAddress)).toEqual(peer);
    expect(msg.address(StunAttr.XorRelayedAddress)).toEqual({ address: '198.51.100.1', port: 50000 });
    expect(msg.lifetime()).toBe(600);
    expect(msg.requestedAddressFamily()).toBe(6);
    expect(msg.evenPort()).toEqual({ reserve: true });
    expect(msg.reservationToken()?.length).toBe(8);
    expect(msg.dontFragment()).toBe(true);
    expect(msg.data()?.toString()).toBe('hello');
    expect(msg.errorCode()).toEqual({ code: 438, reason: 'Stale Nonce' });
    expect(msg.unknownAttributes()).toEqual([0x1234, 0x5678]);
  });

  it('rejects malformed framing with a typed reason', () => {
    const good = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid)
      .add(StunAttr.Software, 'abc')
      .finish();
    const reasons = (b: Uint8Array) => {
      try {
        StunMessage.parse(b);
        return 'ok';
      } catch (err) {
        return (err as StunParseError).reason;
      }
    };
    expect(reasons(good.subarray(0, 19))).toBe('too-short');
    expect(reasons(Buffer.concat([good, Buffer.alloc(4)]))).toBe('bad-length');
    const notStun = Buffer.from(good);
    notStun[0] = 0x80;
    expect(reasons(notStun)).toBe('not-stun');
    const cookie = Buffer.from(good);
    cookie[4] = 0;
    expect(reasons(cookie)).toBe('bad-magic-cookie');
    const overrun = Buffer.from(good);
    overrun.writeUInt16BE(40, 22);
    expect(reasons(overrun)).toBe('truncated-attribute');
    const badPriority = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid)
      .add(StunAttr.Priority, 'abc')
      .finish();
    expect(reasons(badPriority)).toBe('bad-attribute-value');
  });
});
