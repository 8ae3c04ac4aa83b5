import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCandidate,
  parseSdp,
  SdpParseError,
  serializeCandidate,
  serializeSdp,
} from '../../src/index.js';
import { candidate, sessionDescription } from './arbitraries.js';
import { chromeFixture } from './fixtures.js';

/** Parses, and if that works checks the round trip; anything thrown but SdpParseError fails. */
function parsesOrRejects(input: string): void {
  let model: ReturnType<typeof parseSdp>;
  try {
    model = parseSdp(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SdpParseError);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('SyntaxError');
    return;
  }
  const again = parseSdp(serializeSdp(model));
  expect(again).toEqual(model);
  expect(serializeSdp(again)).toBe(serializeSdp(model));
}

const CHROME_LINES = [
  'chrome-offer-data.sdp',
  'chrome-answer-data.sdp',
  'chrome-offer-av.sdp',
  'chrome-offer-av-data.sdp',
].flatMap((f) => chromeFixture(f).split('\r\n').filter(Boolean));

/** A Chrome line, possibly damaged: cut short, a character replaced, or a character inserted. */
const chromeishLine = fc
  .tuple(
    fc.constantFrom(...CHROME_LINES),
    fc.nat(),
    fc.integer({ min: 0, max: 3 }),
    fc.string({ maxLength: 2 }),
  )
  .map(([line, at, how, junk]) => {
    const i = at % (line.length + 1);
    if (how === 0) return line;
    if (how === 1) return line.slice(0, i);
    if (how === 2) return line.slice(0, i) + junk + line.slice(i + 1);
    return line.slice(0, i) + junk + line.slice(i);
  });

const HEADER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0'];

describe('SDP parser never throws anything but SdpParseError', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), parsesOrRejects), { numRuns: 500 });
  });

  it('on arbitrary bytes decoded as UTF-8 and Latin-1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parsesOrRejects(Buffer.from(bytes).toString('utf8'));
        parsesOrRejects(Buffer.from(bytes).toString('latin1'));
      }),
      { numRuns: 500 },
    );
  });

  it('on random lines after a valid header', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => `a=${s}`),
      fc
        .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.string({ maxLength: 30 }))
        .map(([l, s]) => `${l}=${s}`),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, crlf) => {
        parsesOrRejects([...HEADER, ...lines].join(crlf ? '\r\n' : '\n'));
      }),
      { numRuns: 1000 },
    );
  });

  it('on damaged and shuffled Chrome lines, and round-trips those it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(chromeishLine, { minLength: 1, maxLength: 25 }), (lines) => {
        const input = [...HEADER, ...lines].join('\r\n');
        try {
          parseSdp(input);
          accepted++;
        } catch {}
        parsesOrRejects(input);
      }),
      { numRuns: 1000 },
    );
    // The generator must exercise the accepting path too, not only errors.
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('SDP round trip over generated models', () => {
  it('parse(serialize(model)) equals model', () => {
    fc.assert(
      fc.property(sessionDescription, (model) => {
        const text = serializeSdp(model);
        expect(parseSdp(text)).toEqual(model);
        expect(parseSdp(text.replaceAll('\r\n', '\n'))).toEqual(model);
      }),
      { numRuns: 400 },
    );
  });

  it('candidates round-trip through the RTCIceCandidate string form', () => {
    fc.assert(
      fc.property(candidate, (c) => {
        expect(parseCandidate(serializeCandidate(c))).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  it('parseCandidate rejects garbage only with SdpParseError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        for (const input of [s, `candidate:${s}`]) {
          try {
            parseCandidate(input);
          } catch (error) {
            expect(error).toBeInstanceOf(SdpParseError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
