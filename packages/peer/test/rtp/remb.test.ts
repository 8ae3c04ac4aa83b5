import { parseRtcp } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import { type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import type { SdpCodec } from '../../src/sdp/codecs.js';
import { drainRtcp, rtpBytes } from '../helpers/rtp-packets.js';

const VP8_REMB: SdpCodec = {
  payloadType: 96,
  name: 'VP8',
  clockRate: 90000,
  feedback: [{ type: 'goog-remb' }],
};
const VP8: SdpCodec = { ...VP8_REMB, feedback: [] };

function section(codecs: SdpCodec[]): RtcpSection {
  return { kind: 'video', codecs, ssrc: 0x1000, rtxSsrc: 0x2000, onKeyFrameRequest: () => {} };
}

function rtp(ssrc: number): Uint8Array {
  return rtpBytes({ seq: 1, timestamp: 0, ssrc });
}

describe('REMB limit (draft-alvestrand-rmcat-remb)', () => {
  it('sends REMB at once and with every report, naming the section’s media SSRCs, until cleared', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8_REMB]);
    s.setSections([sec]);
    s.onRtpReceived(rtp(0xa), sec, 0);
    s.onRtpReceived(rtp(0xb), sec, 0);
    expect(s.setRembLimit(sec, 250_000)).toBe(true);
    const now = parseRtcp(drainRtcp(s)[0]!.packet).find((p) => p.type === 'remb');
    if (now?.type !== 'remb') throw new Error('no REMB');
    expect(now.bitrate).toBe(250_000);
    expect(now.ssrcs).toEqual([0xa, 0xb]);
    s.handleTimeout(500, 1_700_000_000_000);
    const report = parseRtcp(drainRtcp(s)[0]!.packet);
    expect(report.map((p) => p.type)).toContain('remb');
    s.setRembLimit(sec, undefined);
    s.handleTimeout(s.nextDeadline()!, 1_700_000_001_000);
    expect(parseRtcp(drainRtcp(s)[0]!.packet).map((p) => p.type)).not.toContain('remb');
  });

  it('refuses when goog-remb was not negotiated', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8]);
    s.setSections([sec]);
    expect(s.setRembLimit(sec, 100_000)).toBe(false);
    expect(drainRtcp(s)).toEqual([]);
  });

  it('large rates are carried as mantissa and exponent within 18 significant bits', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const sec = section([VP8_REMB]);
    s.setSections([sec]);
    s.setRembLimit(sec, 123_456_789);
    const remb = parseRtcp(drainRtcp(s)[0]!.packet).find((p) => p.type === 'remb');
    if (remb?.type !== 'remb') throw new Error('no REMB');
    expect(remb.bitrate).toBeLessThanOrEqual(123_456_789);
    expect(remb.bitrate).toBeGreaterThan(123_456_789 * (1 - 2 ** -17));
  });
});
