import { parseRtcp, serializeRtp } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import { type RtcpOutput, type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import type { SdpCodec } from '../../src/sdp/codecs.js';
import { rtpBytes } from '../helpers/rtp-packets.js';

const VP8: SdpCodec = {
  payloadType: 96,
  name: 'VP8',
  clockRate: 90000,
  feedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
};
const OPUS: SdpCodec = { payloadType: 111, name: 'opus', clockRate: 48000, feedback: [] };

function section(kind: 'audio' | 'video', ssrc: number): RtcpSection {
  return {
    kind,
    codecs: [kind === 'video' ? VP8 : OPUS],
    ssrc,
    rtxSsrc: ssrc + 1,
    onKeyFrameRequest: () => {},
  };
}

function rtp(seq: number): Uint8Array {
  return rtpBytes({ seq, ssrc: 0xbbb });
}

function compounds(s: RtcpSession) {
  const out: RtcpOutput[] = [];
  for (let o = s.pollOutput(); o; o = s.pollOutput()) out.push(o);
  return out.filter((o) => o.type === 'rtcp').map((o) => ({ bytes: o.packet, packets: parseRtcp(o.packet) }));
}

/** RTCP names its sender at byte 4; the connection routes an unbundled compound by that SSRC. */
const leadingSsrc = (bytes: Uint8Array) =>
  ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;

describe('feedback about a received stream is sent from the SSRC of the section that received it', () => {
  it('NACK and PLI for video on the second section come from that section, not the first', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const audio = section('audio', 0x1000);
    const video = section('video', 0x3000);
    s.setSections([audio, video]);
    s.onRtpReceived(rtp(1), video, 0);
    s.onRtpReceived(rtp(3), video, 1);
    for (let at = s.nextDeadline(); at !== undefined && at < 1000; at = s.nextDeadline())
      s.handleTimeout(at, 0);
    expect(s.requestKeyFrame(video)).toBe(true);
    const sent = compounds(s).filter(({ packets }) =>
      packets.some((p) => p.type === 'nack' || p.type === 'pli'),
    );
    const kinds = sent.flatMap(({ packets }) => packets.filter((p) => p.type === 'nack' || p.type === 'pli'));
    expect(kinds.map((p) => p.type)).toContain('nack');
    expect(kinds.map((p) => p.type)).toContain('pli');
    for (const p of kinds) {
      if (p.type !== 'nack' && p.type !== 'pli') throw new Error('unreachable');
      expect(p.senderSsrc).toBe(0x3000);
      expect(p.mediaSsrc).toBe(0xbbb);
    }
    for (const { bytes } of sent) expect(leadingSsrc(bytes)).toBe(0x3000);
  });
});

describe('reports with unbundled transports (each an RTP session of its own, RFC 3550 3)', () => {
  const packetFrom = (ssrc: number, seq: number, pt: number) =>
    serializeRtp({
      marker: false,
      payloadType: pt,
      sequenceNumber: seq,
      timestamp: seq * 960,
      ssrc,
      csrcs: [],
      extension: undefined,
      payload: new Uint8Array([1]),
      paddingLength: 0,
    });

  it('one compound per transport, each led by its own SSRC and reporting only the streams it carries', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const audio: RtcpSection = { ...section('audio', 0x1000), transportKey: { name: 'audio transport' } };
    const video: RtcpSection = { ...section('video', 0x3000), transportKey: { name: 'video transport' } };
    s.setSections([audio, video]);
    // We send video only; we receive audio (0xaaa) and video (0xbbb).
    s.onRtpSent(packetFrom(0x3000, 1, 96), 0);
    s.onRtpReceived(packetFrom(0xaaa, 1, 111), audio, 0);
    s.onRtpReceived(packetFrom(0xbbb, 1, 96), video, 0);
    compounds(s);
    s.handleTimeout(s.nextDeadline()!, 1_700_000_000_000);
    const sent = compounds(s);
    expect(sent).toHaveLength(2);
    const byLead = new Map(sent.map((c) => [leadingSsrc(c.bytes), c.packets]));
    const audioCompound = byLead.get(0x1000)!;
    const videoCompound = byLead.get(0x3000)!;
    // Receive-only there: an RR (the first transport's compound also carries the session's XR).
    expect(audioCompound.map((p) => p.type).slice(0, 2)).toEqual(['rr', 'sdes']);
    expect(videoCompound[0]?.type).toBe('sr');
    const blocksOf = (packets: typeof audioCompound) =>
      packets.flatMap((p) => (p.type === 'rr' || p.type === 'sr' ? p.reports.map((r) => r.ssrc) : []));
    expect(blocksOf(audioCompound)).toEqual([0xaaa]);
    expect(blocksOf(videoCompound)).toEqual([0xbbb]);
  });

  it('sections on one transport keep one compound', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const shared = {};
    const audio: RtcpSection = { ...section('audio', 0x1000), transportKey: shared };
    const video: RtcpSection = { ...section('video', 0x3000), transportKey: shared };
    s.setSections([audio, video]);
    s.onRtpSent(packetFrom(0x3000, 1, 96), 0);
    s.onRtpReceived(packetFrom(0xaaa, 1, 111), audio, 0);
    compounds(s);
    s.handleTimeout(s.nextDeadline()!, 1_700_000_000_000);
    expect(compounds(s)).toHaveLength(1);
  });
});
