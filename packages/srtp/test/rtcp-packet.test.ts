import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeTransportCc,
  encodeTransportCc,
  PacketParseError,
  parseRtcp,
  type RtcpPacket,
  serializeRtcp,
  type TransportCcFeedback,
} from '../src/index.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'ascii'));

/** Each fixture is written by hand from the packet diagrams in the cited RFC. */
const fixtures: { name: string; bytes: string; packet: RtcpPacket }[] = [
  {
    name: 'SR with one report block (RFC 3550 6.4.1)',
    bytes:
      '81c8000c 11223344 e3a1b2c3 80000000 00015f90 00000064 00003e80' +
      ' 55667788 0a fffffe 00011234 00000020 b2c38000 00010000',
    packet: {
      type: 'sr',
      ssrc: 0x11223344,
      ntpSeconds: 0xe3a1b2c3,
      ntpFraction: 0x80000000,
      rtpTimestamp: 90000,
      packetCount: 100,
      octetCount: 16000,
      reports: [
        {
          ssrc: 0x55667788,
          fractionLost: 10,
          packetsLost: -2,
          highestSequence: 0x11234,
          jitter: 32,
          lastSenderReport: 0xb2c38000,
          delaySinceLastSenderReport: 0x10000,
        },
      ],
      profileExtension: hex(''),
    },
  },
  {
    name: 'RR without reports (RFC 3550 6.4.2)',
    bytes: '80c90001 deadbeef',
    packet: { type: 'rr', ssrc: 0xdeadbeef, reports: [], profileExtension: hex('') },
  },
  {
    name: 'SDES with a CNAME (RFC 3550 6.5)',
    // chunk: ssrc, CNAME len 5 "a@b.c", null, 1 pad byte -> 4 + 2 + 5 + 1 = 12 bytes.
    bytes: '81ca0003 01020304 0105 61406 22e63 00',
    packet: { type: 'sdes', chunks: [{ ssrc: 0x01020304, items: [{ itemType: 1, value: ascii('a@b.c') }] }] },
  },
  {
    name: 'BYE with a reason (RFC 3550 6.6)',
    bytes: '81cb0002 01020304 03627965',
    packet: { type: 'bye', ssrcs: [0x01020304], reason: ascii('bye') },
  },
  {
    name: 'APP (RFC 3550 6.7)',
    bytes: '85cc0003 01020304 74657374 cafef00d',
    packet: { type: 'app', subtype: 5, ssrc: 0x01020304, name: ascii('test'), data: hex('cafef00d') },
  },
  {
    name: 'generic NACK (RFC 4585 6.2.1)',
    bytes: '81cd0003 00000001 00000002 03e80005',
    packet: { type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: [{ packetId: 1000, lostBitmask: 5 }] },
  },
  {
    name: 'transport-wide CC (draft-holmer section 3.1)',
    // base 1, 3 statuses, ref time 16, fb count 5; run-length chunk "small delta" x3; deltas 4, 8, 12.
    bytes: '8fcd0006 00000001 00000002 0001 0003 000010 05 2003 04080c 000000',
    packet: {
      type: 'twcc',
      senderSsrc: 1,
      mediaSsrc: 2,
      baseSequenceNumber: 1,
      referenceTime: 16,
      feedbackPacketCount: 5,
      packets: [
        { sequenceNumber: 1, status: 1, delta: 4 },
        { sequenceNumber: 2, status: 1, delta: 8 },
        { sequenceNumber: 3, status: 1, delta: 12 },
      ],
    },
  },
  {
    name: 'PLI (RFC 4585 6.3.1)',
    bytes: '81ce0002 00000001 00000002',
    packet: { type: 'pli', senderSsrc: 1, mediaSsrc: 2 },
  },
  {
    name: 'FIR (RFC 5104 4.3.1)',
    bytes: '84ce0004 00000001 00000000 00000002 07000000',
    packet: { type: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 2, sequenceNumber: 7 }] },
  },
  {
    name: 'REMB (draft-alvestrand-rmcat-remb 2.2)',
    // exp 2, mantissa 250000 -> 1 Mbit/s (the smallest exponent that fits 18 bits); one SSRC.
    bytes: '8fce0005 00000001 00000000 52454d42 01 0bd090 00000002',
    packet: { type: 'remb', senderSsrc: 1, mediaSsrc: 0, bitrate: 1_000_000, ssrcs: [2] },
  },
  {
    name: 'XR with one opaque block (RFC 3611 3)',
    bytes: '80cf0003 01020304 04000001 00000009',
    packet: {
      type: 'xr',
      ssrc: 0x01020304,
      blocks: [{ blockType: 4, typeSpecific: 0, data: hex('00000009') }],
    },
  },
];

describe('RTCP fixtures', () => {
  for (const f of fixtures) {
    it(`parses and reserializes ${f.name}`, () => {
      const bytes = hex(f.bytes);
      expect(parseRtcp(bytes)).toEqual([f.packet]);
      expect(serializeRtcp([f.packet])).toEqual(bytes);
    });
  }

  it('parses a compound SR + SDES + REMB', () => {
    const bytes = hex(fixtures[0]!.bytes + fixtures[2]!.bytes + fixtures[9]!.bytes);
    expect(parseRtcp(bytes).map((p) => p.type)).toEqual(['sr', 'sdes', 'remb']);
  });

  it('accepts reduced-size RTCP: a lone PLI (RFC 5506 3.4)', () => {
    expect(parseRtcp(hex(fixtures[7]!.bytes))[0]!.type).toBe('pli');
  });

  it('strips padding on the last packet (RFC 3550 6.4.1)', () => {
    const [p] = parseRtcp(hex('a0c90002 deadbeef 00000004'));
    expect(p).toEqual({ type: 'rr', ssrc: 0xdeadbeef, reports: [], profileExtension: hex('') });
  });

  it('keeps unknown packet types and unknown feedback formats opaque', () => {
    expect(parseRtcp(hex('83c00001 01020304'))).toEqual([
      { type: 'unknown', packetType: 192, count: 3, body: hex('01020304') },
    ]);
    expect(parseRtcp(hex('83cd0003 00000001 00000002 aabbccdd'))).toEqual([
      { type: 'rtpfb', format: 3, senderSsrc: 1, mediaSsrc: 2, fci: hex('aabbccdd') },
    ]);
  });

  it('rejects bad input with typed errors', () => {
    const code = (s: string) => {
      try {
        parseRtcp(hex(s));
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(PacketParseError);
        return (e as PacketParseError).code;
      }
    };
    expect(code('80c9')).toBe('too-short');
    expect(code('40c90001 deadbeef')).toBe('bad-version');
    expect(code('80c90002 deadbeef')).toBe('length-overrun');
    expect(code('a0c90001 deadbe00')).toBe('bad-padding');
    expect(code('a0c90001 deadbe09')).toBe('bad-padding');
    expect(code('81c90001 deadbeef')).toBe('length-overrun');
    expect(code('80c90001 deadbeef 80')).toBe('too-short');
  });
});

describe('transport-wide CC chunks', () => {
  it('decodes a two-bit status vector with a large negative delta', () => {
    // Vector chunk, 2-bit symbols 1 0 1 2 0 1 (0): 11 01 00 01 10 00 01 00 = 0xd184.
    const fb = decodeTransportCc(hex('0064 0006 fffffe 00 d184 01 02 fffc 03 00'));
    expect(fb.referenceTime).toBe(-2);
    expect(fb.packets.map((p) => p.sequenceNumber)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(fb.packets.map((p) => p.status)).toEqual([1, 0, 1, 2, 0, 1]);
    expect(fb.packets.map((p) => p.delta)).toEqual([1, undefined, 2, -4, undefined, 3]);
  });

  it('decodes a one-bit status vector cut short by the status count', () => {
    // Vector chunk, 1-bit symbols: 1 0 1 then unused: 10 1010 0000 0000 00 = 0xa800.
    const fb = decodeTransportCc(hex('fffe 0003 000000 07 a800 0102'));
    expect(fb.packets).toEqual([
      { sequenceNumber: 0xfffe, status: 1, delta: 1 },
      { sequenceNumber: 0xffff, status: 0 },
      { sequenceNumber: 0, status: 1, delta: 2 },
    ]);
  });

  it('round-trips arbitrary feedback', () => {
    const status = fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: -0x800000, max: 0x7fffff }),
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.tuple(status, fc.integer({ min: -32768, max: 32767 })), { maxLength: 60 }),
        (base, ref, count, list) => {
          const fb: TransportCcFeedback = {
            baseSequenceNumber: base,
            referenceTime: ref,
            feedbackPacketCount: count,
            packets: list.map(([s, d], i) => {
              const sequenceNumber = (base + i) & 0xffff;
              if (s === 0) return { sequenceNumber, status: s };
              return { sequenceNumber, status: s, delta: s === 1 ? Math.abs(d) & 0xff : d };
            }),
          };
          expect(decodeTransportCc(encodeTransportCc(fb))).toEqual(fb);
        },
      ),
    );
  });
});

describe('RTCP properties', () => {
  it('never throws anything but PacketParseError and round-trips what it accepts', () => {
    const seeds = fixtures.map((f) => hex(f.bytes));
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      )
      .map(([seed, edits]) => {
        const b = Uint8Array.from(seed);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 120 })), (bytes) => {
        let packets: RtcpPacket[];
        try {
          packets = parseRtcp(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(PacketParseError);
          return;
        }
        expect(parseRtcp(serializeRtcp(packets))).toEqual(packets);
      }),
      { numRuns: 3000 },
    );
  });
});
