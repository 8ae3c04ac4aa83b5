import { parseExtensionElements, parseRtp, serializeExtensionElements, serializeRtp } from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findHeaderExtension, readTransportSequence } from '../../src/rtp/find-extension.js';

describe('findHeaderExtension (RFC 8285)', () => {
  it('finds one-byte and two-byte elements and the transport-wide sequence number', () => {
    for (const long of [false, true]) {
      const elements = [
        { id: 3, data: new Uint8Array([0x12, 0x34]) },
        { id: 10, data: long ? new Uint8Array(20).fill(7) : new TextEncoder().encode('h') },
      ];
      const bytes = serializeRtp({
        marker: false,
        payloadType: 96,
        sequenceNumber: 1,
        timestamp: 2,
        ssrc: 3,
        csrcs: [5, 6],
        extension: serializeExtensionElements(elements),
        payload: new Uint8Array([9]),
        paddingLength: 0,
      });
      expect(readTransportSequence(bytes, 3)).toBe(0x1234);
      expect(findHeaderExtension(bytes, 10)).toEqual(elements[1]!.data);
      expect(findHeaderExtension(bytes, 4)).toBeUndefined();
    }
  });

  it('property: never throws, and agrees with the srtp parser on every packet it accepts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 120 }),
        fc.integer({ min: 1, max: 255 }),
        (bytes, id) => {
          const found = findHeaderExtension(bytes, id);
          let expected: Uint8Array | undefined;
          try {
            const p = parseRtp(bytes);
            const els = p.extension
              ? parseExtensionElements(p.extension.profile, p.extension.data)
              : undefined;
            expected = els?.find((e) => e.id === id)?.data;
          } catch {
            return;
          }
          if (expected !== undefined) expect(found).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
