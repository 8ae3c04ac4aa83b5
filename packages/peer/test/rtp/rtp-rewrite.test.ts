import {
  PacketParseError,
  parseExtensionElements,
  parseRtp,
  type RtpExtensionElement,
  serializeExtensionElements,
  serializeRtp,
} from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MidElement, rewriteRtp, rtpLayout } from '../../src/rtp/rtp-rewrite.js';

/** The sender's earlier rewrite, through parsed objects: the model the one-pass version must match. */
function reference(packet: Uint8Array, ssrc: number, mid: MidElement): Buffer | undefined {
  try {
    const parsed = parseRtp(packet);
    const existing: RtpExtensionElement[] = parsed.extension
      ? (parseExtensionElements(parsed.extension.profile, parsed.extension.data) ?? [])
      : [];
    const elements = existing.filter((e) => e.id !== mid.id);
    elements.push({ id: mid.id, data: mid.value });
    parsed.extension = serializeExtensionElements(elements);
    parsed.ssrc = ssrc;
    return Buffer.from(serializeRtp(parsed));
  } catch (e) {
    if (e instanceof PacketParseError) return undefined;
    throw e;
  }
}

const oneByteElement = fc.record({
  id: fc.integer({ min: 1, max: 14 }),
  data: fc.uint8Array({ minLength: 1, maxLength: 16 }),
});
const twoByteElement = fc.record({
  id: fc.integer({ min: 1, max: 255 }),
  data: fc.uint8Array({ minLength: 0, maxLength: 20 }),
});

/** Well-formed RTP with canonical padding (zeros, count last) and any kind of extension block. */
const rtpPacket = fc
  .record({
    marker: fc.boolean(),
    payloadType: fc.integer({ min: 0, max: 127 }),
    sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
    timestamp: fc.nat(),
    ssrc: fc.nat(),
    csrcs: fc.array(fc.nat(), { maxLength: 3 }),
    extension: fc.oneof(
      fc.constant(undefined),
      fc.array(oneByteElement, { maxLength: 5 }).map((els) => serializeExtensionElements(els)),
      fc.array(twoByteElement, { minLength: 1, maxLength: 4 }).map((els) => serializeExtensionElements(els)),
      fc.record({ profile: fc.integer({ min: 0, max: 0xffff }), data: fc.uint8Array({ maxLength: 12 }) }),
    ),
    payload: fc.uint8Array({ maxLength: 64 }),
    paddingLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 })),
  })
  .map((p) => serializeRtp(p));

const midElement = fc.record({
  id: fc.oneof(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 15, max: 255 })),
  value: fc.uint8Array({ minLength: 1, maxLength: 20 }),
});

describe('one-pass RTP rewrite for senders (SSRC, RFC 8843 MID element)', () => {
  it('matches the parse-and-serialize rewrite byte for byte on well-formed packets', () => {
    fc.assert(
      fc.property(rtpPacket, fc.nat(), midElement, (packet, ssrc, mid) => {
        expect(rewriteRtp(packet, ssrc, mid)).toEqual(reference(packet, ssrc, mid));
      }),
      { numRuns: 2000 },
    );
  });

  it('without a MID extension only the SSRC changes, on a copy', () => {
    fc.assert(
      fc.property(rtpPacket, fc.nat(), (packet, ssrc) => {
        const out = rewriteRtp(packet, ssrc, undefined)!;
        expect(out.readUInt32BE(8)).toBe(ssrc);
        expect(Buffer.concat([out.subarray(0, 8), out.subarray(12)])).toEqual(
          Buffer.concat([Buffer.from(packet.subarray(0, 8)), Buffer.from(packet.subarray(12))]),
        );
        expect(out.buffer).not.toBe(packet.buffer);
      }),
    );
  });

  it('accepts exactly what parseRtp accepts, never throws, and drops a malformed extension block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), midElement, (bytes, mid) => {
        let parses = true;
        try {
          parseRtp(bytes);
        } catch {
          parses = false;
        }
        expect(rtpLayout(bytes) !== undefined).toBe(parses);
        expect(rewriteRtp(bytes, 1, mid)).toEqual(reference(bytes, 1, mid));
      }),
      { numRuns: 3000 },
    );
  });

  it('a Chrome-style packet gets our MID in place of the source MID, other elements kept', () => {
    // One-byte block: abs-send-time (id 2, 3 bytes), MID (id 4, "0"), transport-cc (id 3, 2 bytes).
    const ext = serializeExtensionElements([
      { id: 2, data: Uint8Array.of(1, 2, 3) },
      { id: 4, data: new TextEncoder().encode('0') },
      { id: 3, data: Uint8Array.of(0, 7) },
    ]);
    const packet = serializeRtp({
      marker: true,
      payloadType: 96,
      sequenceNumber: 1,
      timestamp: 2,
      ssrc: 3,
      csrcs: [],
      extension: ext,
      payload: new Uint8Array(100).fill(9),
      paddingLength: 0,
    });
    const out = rewriteRtp(packet, 0xdeadbeef, { id: 4, value: new TextEncoder().encode('video1') })!;
    const parsed = parseRtp(out);
    expect(parsed.ssrc).toBe(0xdeadbeef);
    const elements = parseExtensionElements(parsed.extension!.profile, parsed.extension!.data)!;
    expect(elements.map((e) => [e.id, Buffer.from(e.data).toString('latin1')])).toEqual([
      [2, '\x01\x02\x03'],
      [3, '\x00\x07'],
      [4, 'video1'],
    ]);
    expect(Buffer.from(parsed.payload)).toEqual(Buffer.alloc(100, 9));
  });
});
