import { describe, expect, it } from 'vitest';
import { findDescriptionProblems, parseSdp, verifyDescription } from '../../src/index.js';
import { chromeFixture } from './fixtures.js';

const DATA_OFFER = chromeFixture('chrome-offer-data.sdp');
const AV_DATA_OFFER = chromeFixture('chrome-offer-av-data.sdp');

/** A Chrome description with some lines removed, replaced or added. */
function edit(text: string, change: (lines: string[]) => string[]): string {
  return `${change(text.split('\r\n').filter(Boolean)).join('\r\n')}\r\n`;
}
const without = (prefix: string) => (lines: string[]) => lines.filter((l) => !l.startsWith(prefix));
const replacing = (prefix: string, line: string) => (lines: string[]) =>
  lines.map((l) => (l.startsWith(prefix) ? line : l));
const adding = (after: string, line: string) => (lines: string[]) =>
  lines.flatMap((l) => (l.startsWith(after) ? [l, line] : [l]));

function problems(text: string, type: 'offer' | 'answer' = 'offer'): string[] {
  return findDescriptionProblems(parseSdp(text), { type });
}

describe('description checks (RFC 9429 5.8.3)', () => {
  it("accepts all of Chrome's descriptions", () => {
    for (const file of ['chrome-offer-data.sdp', 'chrome-offer-av.sdp', 'chrome-offer-av-data.sdp']) {
      expect(problems(chromeFixture(file)), file).toEqual([]);
    }
    const answer = parseSdp(chromeFixture('chrome-answer-data.sdp'));
    expect(findDescriptionProblems(answer, { type: 'answer', offer: parseSdp(DATA_OFFER) })).toEqual([]);
  });

  it('needs ICE credentials within RFC 8839 5.4 limits', () => {
    expect(problems(edit(DATA_OFFER, without('a=ice-ufrag')))).toEqual(['m-section 0 has no a=ice-ufrag']);
    expect(problems(edit(DATA_OFFER, without('a=ice-pwd')))).toEqual(['m-section 0 has no a=ice-pwd']);
    expect(problems(edit(DATA_OFFER, replacing('a=ice-ufrag', 'a=ice-ufrag:abc')))).toEqual([
      'm-section 0 has an invalid ice-ufrag',
    ]);
    expect(problems(edit(DATA_OFFER, replacing('a=ice-pwd', 'a=ice-pwd:short')))).toEqual([
      'm-section 0 has an invalid ice-pwd',
    ]);
    expect(problems(edit(DATA_OFFER, replacing('a=ice-pwd', 'a=ice-pwd:u8VIPyL0j-TQ+42Le0vKMqL4')))).toEqual([
      'm-section 0 has an invalid ice-pwd',
    ]);
  });

  it('takes ICE and DTLS values from the session level', () => {
    const moved = edit(DATA_OFFER, (lines) => {
      const moving = lines.filter((l) => /^a=(ice-ufrag|ice-pwd|fingerprint|setup)/.test(l));
      const rest = lines.filter((l) => !moving.includes(l));
      const t = rest.indexOf('t=0 0');
      return [...rest.slice(0, t + 1), ...moving, ...rest.slice(t + 1)];
    });
    expect(parseSdp(moved).media[0]!.attributes.some((a) => a.type === 'ice-ufrag')).toBe(false);
    expect(problems(moved)).toEqual([]);
  });

  it("lets bundled sections use the BUNDLE-tagged section's transport (RFC 9143 7)", () => {
    // Drop transport lines from every section but the first (mid 0, the tag).
    const stripped = edit(AV_DATA_OFFER, (lines) => {
      let section = -1;
      return lines.filter((l) => {
        if (l.startsWith('m=')) section++;
        return section < 1 || !/^a=(ice-ufrag|ice-pwd|fingerprint|setup)/.test(l);
      });
    });
    expect(problems(stripped)).toEqual([]);
    const unbundled = edit(stripped, replacing('a=group:BUNDLE', 'a=group:BUNDLE 0'));
    expect(problems(unbundled)).toContain('m-section 1 has no a=ice-ufrag');
    expect(problems(unbundled)).toContain('m-section 2 has no a=fingerprint');
  });

  it('needs a fingerprint, and no actpass in answers (RFC 8842 5.3)', () => {
    expect(problems(edit(DATA_OFFER, without('a=fingerprint')))).toEqual([
      'm-section 0 has no a=fingerprint',
    ]);
    expect(problems(DATA_OFFER, 'answer')).toEqual(['m-section 0 answers with a=setup:actpass']);
  });

  it('needs rtcp-mux under rtcpMuxPolicy "require" (W3C 4.4.1.5)', () => {
    const text = edit(AV_DATA_OFFER, without('a=rtcp-mux'));
    expect(problems(text)).toEqual([
      'm-section 0 lacks a=rtcp-mux, which rtcpMuxPolicy "require" needs',
      'm-section 1 lacks a=rtcp-mux, which rtcpMuxPolicy "require" needs',
    ]);
    expect(findDescriptionProblems(parseSdp(text), { type: 'offer', rtcpMuxPolicy: 'negotiate' })).toEqual(
      [],
    );
    const muxOnly = edit(text, adding('a=mid:0', 'a=rtcp-mux-only'));
    expect(findDescriptionProblems(parseSdp(muxOnly), { type: 'offer', rtcpMuxPolicy: 'negotiate' })).toEqual(
      ['m-section 0 has a=rtcp-mux-only without a=rtcp-mux'],
    );
  });

  it('rejects repeated single attributes and mids, and groups naming unknown mids', () => {
    expect(problems(edit(DATA_OFFER, adding('a=ice-ufrag', 'a=ice-ufrag:abcd')))).toEqual([
      'm-section 0 has more than one a=ice-ufrag',
    ]);
    expect(problems(edit(AV_DATA_OFFER, replacing('a=mid:1', 'a=mid:0')))).toEqual([
      'm-section 1 repeats mid 0',
      'a=group:BUNDLE names unknown mid 1',
    ]);
    expect(problems(edit(DATA_OFFER, replacing('a=group:BUNDLE', 'a=group:BUNDLE 0 7')))).toEqual([
      'a=group:BUNDLE names unknown mid 7',
    ]);
    expect(problems(edit(DATA_OFFER, adding('t=0 0', 'a=ice-lite\r\na=ice-lite')))).toEqual([
      'session has more than one a=ice-lite',
    ]);
  });

  it('rejects a section in two BUNDLE groups or named twice in one (RFC 9143 6)', () => {
    expect(problems(edit(DATA_OFFER, replacing('a=group:BUNDLE', 'a=group:BUNDLE 0 0')))).toEqual([
      'mid 0 is in more than one BUNDLE group or named twice',
    ]);
    expect(
      problems(edit(DATA_OFFER, replacing('a=group:BUNDLE', 'a=group:BUNDLE 0\r\na=group:BUNDLE 0'))),
    ).toEqual(['mid 0 is in more than one BUNDLE group or named twice']);
  });

  it('needs a=sctp-port in a data section (RFC 9429 5.8.2), legacy sctpmap accepted', () => {
    expect(problems(edit(DATA_OFFER, without('a=sctp-port')))).toEqual(['m-section 0 has no a=sctp-port']);
    const legacy = edit(DATA_OFFER, replacing('a=sctp-port', 'a=sctpmap:5000 webrtc-datachannel 1024'));
    expect(problems(legacy)).toEqual([]);
  });

  it('needs an a=rid for every rid in a=simulcast (RFC 8853 5.1)', () => {
    const text = edit(AV_DATA_OFFER, adding('a=mid:1', 'a=rid:f send\r\na=simulcast:send f;h'));
    expect(problems(text)).toEqual(['m-section 1 a=simulcast names rid h with no a=rid']);
  });

  it('skips rejected sections', () => {
    const sdp = parseSdp(AV_DATA_OFFER);
    sdp.media[1]!.attributes = sdp.media[1]!.attributes.filter((a) => a.type === 'mid');
    expect(findDescriptionProblems(sdp, { type: 'offer' })).toEqual([
      'm-section 1 lacks a=rtcp-mux, which rtcpMuxPolicy "require" needs',
    ]);
    sdp.media[1]!.port = 0;
    expect(findDescriptionProblems(sdp, { type: 'offer' })).toEqual([]);
  });

  it("needs an answer to mirror the offer's m-sections (RFC 3264 6)", () => {
    const offer = parseSdp(AV_DATA_OFFER);
    const answer = parseSdp(chromeFixture('chrome-answer-data.sdp'));
    expect(findDescriptionProblems(answer, { type: 'answer', offer })).toContain(
      'answer has 1 m-sections, the offer 3',
    );
    const audioOffer = parseSdp(DATA_OFFER);
    audioOffer.media[0]!.kind = 'audio';
    expect(findDescriptionProblems(answer, { type: 'answer', offer: audioOffer })).toEqual([
      "m-section 0 is application UDP/DTLS/SCTP, the offer's audio UDP/DTLS/SCTP",
    ]);
  });

  it('verifyDescription throws an InvalidAccessError naming the problems', () => {
    expect(() => verifyDescription(parseSdp(DATA_OFFER), { type: 'offer' })).not.toThrow();
    let caught: unknown;
    try {
      verifyDescription(parseSdp(edit(DATA_OFFER, without('a=fingerprint'))), { type: 'offer' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DOMException);
    expect((caught as DOMException).name).toBe('InvalidAccessError');
    expect((caught as DOMException).message).toContain('no a=fingerprint');
  });
});

describe('RTP formats', () => {
  it('must be payload types', () => {
    const text = edit(AV_DATA_OFFER, (lines) =>
      lines.map((l) => (l.startsWith('m=audio') ? `${l} 128 x` : l)),
    );
    expect(problems(text)).toEqual([
      'm-section 0 lists 128, which is not an RTP payload type',
      'm-section 0 lists x, which is not an RTP payload type',
    ]);
  });
});
