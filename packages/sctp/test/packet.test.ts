import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Chunk, ChunkType } from '../src/packet/chunk.js';
import { crc32c, crc32cBytewise } from '../src/packet/crc32c.js';
import type { Parameter } from '../src/packet/parameter.js';
import { SctpParseError } from '../src/packet/parse-error.js';
import { parsePacket, serializePacket } from '../src/packet/sctp-packet.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('CRC32c', () => {
  // RFC 3720 B.4 test vectors (CRC32c is the same function iSCSI uses).
  it('matches the RFC 3720 B.4 vectors', () => {
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
  it('slicing-by-16 agrees with the bytewise reference at every length and offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(16), (data, cut) => {
        expect(crc32c(data)).toBe(crc32cBytewise(data));
        const k = Math.min(cut, data.length);
        expect(crc32c(data, crc32c(data, 0, 0, k), k)).toBe(crc32cBytewise(data));
      }),
    );
  });
  it('the aligned word loop and the byte loop agree at every alignment of the data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 1300 }), fc.nat(7), (data, shift) => {
        const backing = new Uint8Array(data.length + 8);
        backing.set(data, shift);
        const view = backing.subarray(shift, shift + data.length);
        expect(crc32c(view)).toBe(crc32cBytewise(data));
      }),
    );
  });
});

// Chrome 156's INIT as the fixture describes it (/work/shared/fixtures/chrome-156/chrome-sctp-init.json):
// a_rwnd 5242880, 65535 streams each way, Forward-TSN-Supported, Supported Extensions RE-CONFIG + FORWARD-TSN.
const chromeInit = hex(`
  1388 1388 00000000 00000000
  01 00 001e  6c3f1a2b 00500000 ffff ffff 7a1b2c3d
  c000 0004
  8008 0006 82c0 0000`);
chromeInit.writeUInt32LE(crc32c(chromeInit), 8);

describe('packet codec', () => {
  it('parses a Chrome-style INIT', () => {
    const fixture = JSON.parse(
      readFileSync('/work/shared/fixtures/chrome-156/chrome-sctp-init.json', 'utf8').toString(),
    ) as { advertisedRwnd: number; outboundStreams: number; inboundStreams: number };
    const p = parsePacket(chromeInit);
    expect(p.sourcePort).toBe(5000);
    expect(p.verificationTag).toBe(0);
    const init = p.chunks[0]!;
    expect(init.type).toBe('init');
    if (init.type !== 'init') return;
    expect(init.aRwnd).toBe(fixture.advertisedRwnd);
    expect(init.outboundStreams).toBe(fixture.outboundStreams);
    expect(init.inboundStreams).toBe(fixture.inboundStreams);
    expect(init.initialTsn).toBe(0x7a1b2c3d);
    expect(init.params).toEqual([
      { type: 'forward-tsn-supported' },
      { type: 'supported-extensions', chunkTypes: [ChunkType.RECONFIG, ChunkType.FORWARD_TSN] },
    ]);
    expect(serializePacket(p)).toEqual(chromeInit);
  });

  it('rejects a bad checksum and accepts zero only when allowed (RFC 9653)', () => {
    const bad = Buffer.from(chromeInit);
    bad[20] = (bad[20]! ^ 1) & 0xff;
    expect(() => parsePacket(bad)).toThrow(SctpParseError);
    const zero = Buffer.from(chromeInit);
    zero.writeUInt32LE(0, 8);
    expect(() => parsePacket(zero)).toThrow(SctpParseError);
    expect(parsePacket(zero, { acceptZeroChecksum: true }).zeroChecksum).toBe(true);
  });

  it('encodes DATA flags and the SACK layout byte for byte', () => {
    const pkt = serializePacket({
      sourcePort: 5000,
      destinationPort: 5000,
      verificationTag: 0x01020304,
      chunks: [
        {
          type: 'data',
          tsn: 0xfffffffe,
          streamId: 2,
          ssn: 7,
          ppid: 51,
          payload: Buffer.from('hi'),
          unordered: true,
          beginning: true,
          end: true,
          immediate: false,
        },
        {
          type: 'sack',
          cumulativeTsnAck: 10,
          aRwnd: 1000,
          gapBlocks: [{ start: 2, end: 3 }],
          duplicateTsns: [9],
        },
      ],
    });
    expect(pkt.subarray(12).toString('hex')).toBe(
      [
        '0007 0012 fffffffe 0002 0007 00000033 6869 0000',
        '03 00 0018 0000000a 000003e8 0001 0001 0002 0003 00000009',
      ]
        .join('')
        .replace(/\s/g, ''),
    );
  });

  it('rejects chunk lengths past the packet and truncated headers', () => {
    const p = hex('1388 1388 00000000 00000000 0b00 0010');
    p.writeUInt32LE(crc32c(p), 8);
    expect(() => parsePacket(p)).toThrow(/past the end/);
    const t = hex('1388 1388 00000000 00000000 0b00');
    t.writeUInt32LE(crc32c(t), 8);
    expect(() => parsePacket(t)).toThrow(/truncated/);
  });

  it('encodes the Cookie Preservative (RFC 9260 3.3.2.1: type 9, length 8, increment in ms)', () => {
    const init: Chunk = {
      type: 'init',
      initiateTag: 1,
      aRwnd: 2,
      outboundStreams: 3,
      inboundStreams: 4,
      initialTsn: 5,
      params: [{ type: 'cookie-preservative', lifeSpanIncrement: 1500 }],
      toReport: [],
    };
    const b = serializePacket({ sourcePort: 1, destinationPort: 2, verificationTag: 0, chunks: [init] });
    expect(b.subarray(12).toString('hex')).toBe(
      `0100001c 00000001 00000002 0003 0004 00000005 0009 0008 000005dc`.replace(/\s+/g, ''),
    );
    expect(parsePacket(b).chunks[0]).toEqual(init);
    const bad = Buffer.from(b);
    bad.writeUInt16BE(7, 12 + 20 + 2); // parameter length 7: value of 3 bytes
    bad.writeUInt32LE(0, 8);
    bad.writeUInt32LE(crc32c(bad), 8);
    expect(() => parsePacket(bad)).toThrow(SctpParseError);
  });
});

const u32 = fc.nat({ max: 0xffffffff });
const u16 = fc.nat({ max: 0xffff });
const bytes = (min = 0) => fc.uint8Array({ minLength: min, maxLength: 40 }).map((a) => Buffer.from(a));
const chunkArb: fc.Arbitrary<Chunk> = fc.oneof(
  fc.record({
    type: fc.constant('data' as const),
    tsn: u32,
    streamId: u16,
    ssn: u16,
    ppid: u32,
    payload: bytes(1),
    unordered: fc.boolean(),
    beginning: fc.boolean(),
    end: fc.boolean(),
    immediate: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('sack' as const),
    cumulativeTsnAck: u32,
    aRwnd: u32,
    gapBlocks: fc.array(fc.record({ start: u16, end: u16 }), { maxLength: 5 }),
    duplicateTsns: fc.array(u32, { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('forward-tsn' as const),
    newCumulativeTsn: u32,
    skipped: fc.array(fc.record({ streamId: u16, ssn: u16 }), { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('iforward-tsn' as const),
    newCumulativeTsn: u32,
    skipped: fc.array(fc.record({ streamId: u16, unordered: fc.boolean(), mid: u32 }), { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant('cookie-echo' as const), cookie: bytes() }),
  fc.record({ type: fc.constant('shutdown' as const), cumulativeTsnAck: u32 }),
  fc.record({ type: fc.constant('shutdown-complete' as const), tagReflected: fc.boolean() }),
  fc.record({
    type: fc.constant('abort' as const),
    tagReflected: fc.boolean(),
    causes: fc.array(fc.record({ code: u16, info: bytes() }), { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('reconfig' as const),
    params: fc.array(
      fc.oneof(
        fc.record({
          type: fc.constant('outgoing-reset-request' as const),
          requestSeq: u32,
          responseSeq: u32,
          senderLastTsn: u32,
          streams: fc.array(u16, { maxLength: 4 }),
        }),
        fc.record({ type: fc.constant('reconfig-response' as const), responseSeq: u32, result: fc.nat(6) }),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc.record({
    type: fc.constant('init' as const),
    initiateTag: u32,
    aRwnd: u32,
    outboundStreams: u16,
    inboundStreams: u16,
    initialTsn: u32,
    params: fc.constant<Parameter[]>([
      { type: 'forward-tsn-supported' },
      { type: 'zero-checksum-acceptable', edmid: 1 },
      { type: 'supported-extensions', chunkTypes: [130, 192, 64, 194] },
      { type: 'cookie-preservative', lifeSpanIncrement: 0x01020304 },
    ]),
    toReport: fc.constant<Buffer[]>([]),
  }),
);

describe('packet parser properties', () => {
  it('never throws anything but SctpParseError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (data, skip) => {
        try {
          parsePacket(data, { skipChecksum: skip });
        } catch (e) {
          expect(e).toBeInstanceOf(SctpParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but SctpParseError on mutated valid packets', () => {
    fc.assert(
      fc.property(
        fc.array(chunkArb, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.nat(255),
        (chunks, pos, val) => {
          const buf = serializePacket({ sourcePort: 1, destinationPort: 2, verificationTag: 3, chunks });
          buf[12 + (pos % (buf.length - 12))] = val;
          try {
            parsePacket(buf, { skipChecksum: true });
          } catch (e) {
            expect(e).toBeInstanceOf(SctpParseError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips what it accepts', () => {
    fc.assert(
      fc.property(fc.array(chunkArb, { minLength: 1, maxLength: 4 }), u32, (chunks, tag) => {
        const buf = serializePacket({
          sourcePort: 5000,
          destinationPort: 5001,
          verificationTag: tag,
          chunks,
        });
        const parsed = parsePacket(buf);
        expect(parsed.chunks).toEqual(chunks);
        expect(serializePacket(parsed)).toEqual(buf);
      }),
      { numRuns: 1000 },
    );
  });
});
