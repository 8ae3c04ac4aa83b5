import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PacketParseError,
  parseExtensionElements,
  parseRtp,
  type RtpPacket,
  serializeExtensionElements,
  serializeRtp,
} from '../src/index.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('RTP packet (RFC 3550 5.1)', () => {
  it('parses a minimal packet field by field', () => {
    const bytes = hex('80e0 1234 deadbeef cafebabe 0102 03');
    const p = parseRtp(bytes);
    expect(p.marker).toBe(true);
    expect(p.payloadType).toBe(0x60);
    expect(p.sequenceNumber).toBe(0x1234);
    expect(p.timestamp).toBe(0xdeadbeef);
    expect(p.ssrc).toBe(0xcafebabe);
    expect(p.csrcs).toEqual([]);
    expect(p.extension).toBeUndefined();
    expect([...p.payload]).toEqual([1, 2, 3]);
    expect(p.paddingLength).toBe(0);
  });

  it('returns a zero-copy payload view', () => {
    const bytes = hex('8000 0001 00000000 00000001 aabbcc');
    const p = parseRtp(bytes);
    bytes[12] = 0x11;
    expect(p.payload[0]).toBe(0x11);
    expect(p.payload.buffer).toBe(bytes.buffer);
  });

  it('parses CSRCs, padding and a one-byte extension block, and reserializes byte-exactly', () => {
    // V=2 P=1 X=1 CC=2; extension 0xBEDE with 1 word: id 1 len 2 (3 bytes) + pad.
    const fixed = hex('b26f0001000000020000000311111111 22222222 bede0001 12010203 abcd 000003');
    const p = parseRtp(fixed);
    expect(p.csrcs).toEqual([0x11111111, 0x22222222]);
    expect(p.extension?.profile).toBe(0xbede);
    expect(parseExtensionElements(0xbede, p.extension!.data)).toEqual([{ id: 1, data: hex('010203') }]);
    expect([...p.payload]).toEqual([0xab, 0xcd]);
    expect(p.paddingLength).toBe(3);
    expect(serializeRtp(p)).toEqual(fixed);
  });

  it('parses two-byte and mixed extension elements (RFC 8285 4.3)', () => {
    // id 1 len 0 (allowed only in two-byte form), padding 0, id 20 len 2, id 3 len 1.
    const data = hex('0100 00 1402aabb 030199 00');
    expect(parseExtensionElements(0x1000, data)).toEqual([
      { id: 1, data: hex('') },
      { id: 20, data: hex('aabb') },
      { id: 3, data: hex('99') },
    ]);
    // appbits in the low nibble still mean the two-byte form.
    expect(parseExtensionElements(0x100f, data)).toHaveLength(3);
  });

  it('stops one-byte parsing at ID 15 (RFC 8285 4.2)', () => {
    expect(parseExtensionElements(0xbede, hex('10aa f0 2011'))).toEqual([{ id: 1, data: hex('aa') }]);
  });

  it('picks the one-byte form only when every element fits it', () => {
    const one = serializeExtensionElements([{ id: 14, data: new Uint8Array(16) }]);
    expect(one.profile).toBe(0xbede);
    expect(one.data.length).toBe(20);
    const mixed = serializeExtensionElements([
      { id: 1, data: new Uint8Array(0) },
      { id: 200, data: hex('01') },
    ]);
    expect(mixed.profile).toBe(0x1000);
    expect(parseExtensionElements(mixed.profile, mixed.data)).toEqual([
      { id: 1, data: hex('') },
      { id: 200, data: hex('01') },
    ]);
  });

  it('rejects bad input with typed errors', () => {
    const code = (b: Uint8Array) => {
      try {
        parseRtp(b);
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(PacketParseError);
        return (e as PacketParseError).code;
      }
    };
    expect(code(hex('8000'))).toBe('too-short');
    expect(code(hex('4000 0001 00000000 00000001'))).toBe('bad-version');
    expect(code(hex('8100 0001 00000000 00000001'))).toBe('length-overrun');
    expect(code(hex('9000 0001 00000000 00000001 bede0002 00000000'))).toBe('length-overrun');
    expect(code(hex('a000 0001 00000000 00000001 0000'))).toBe('bad-padding');
    expect(code(hex('a000 0001 00000000 00000001 0005'))).toBe('bad-padding');
    expect(() => parseExtensionElements(0xbede, hex('13aa'))).toThrow(PacketParseError);
    expect(() => parseExtensionElements(0x1000, hex('0105aa'))).toThrow(PacketParseError);
    expect(() => parseExtensionElements(0x1000, hex('01'))).toThrow(PacketParseError);
  });
});

const packetArb: fc.Arbitrary<RtpPacket> = fc.record({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: fc.integer({ min: 0, max: 0xffffffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
  extension: fc.option(
    fc.record({
      profile: fc.integer({ min: 0, max: 0xffff }),
      data: fc.uint8Array({ maxLength: 40 }).map((d) => d.subarray(0, d.length & ~3)),
    }),
    { nil: undefined },
  ),
  payload: fc.uint8Array({ maxLength: 300 }),
  paddingLength: fc.integer({ min: 0, max: 255 }),
});

describe('RTP properties', () => {
  it('round-trips any packet', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        const back = parseRtp(serializeRtp(p));
        expect(back).toEqual(p);
      }),
    );
  });

  it('never throws anything but PacketParseError and round-trips what it accepts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, forceV2) => {
        if (forceV2 && bytes.length > 0) bytes[0] = (bytes[0]! & 0x3f) | 0x80;
        let p: RtpPacket;
        try {
          p = parseRtp(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(PacketParseError);
          return;
        }
        // Padding octets other than the count are not kept, so compare after re-parse.
        expect(parseRtp(serializeRtp(p))).toEqual(p);
        if (p.extension) {
          try {
            parseExtensionElements(p.extension.profile, p.extension.data);
          } catch (e) {
            expect(e).toBeInstanceOf(PacketParseError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips RFC 8285 element lists', () => {
    const elem = fc.record({ id: fc.integer({ min: 1, max: 255 }), data: fc.uint8Array({ maxLength: 255 }) });
    fc.assert(
      fc.property(fc.array(elem, { maxLength: 8 }), (elements) => {
        const { profile, data } = serializeExtensionElements(elements);
        expect(parseExtensionElements(profile, data)).toEqual(elements);
      }),
    );
  });
});
