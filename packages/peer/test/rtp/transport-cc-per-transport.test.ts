import { parseRtcp, serializeExtensionElements, serializeRtp } from '@purertc/srtp';
import { describe, expect, it } from 'vitest';
import { EXT_TRANSPORT_CC } from '../../src/pc/media/default-codecs.js';
import { bindTransceiverRtcp, receiveRoutedRtp } from '../../src/pc/media/rtcp-binding.js';
import { RTCRtpSender } from '../../src/pc/media/sender.js';
import { RTCRtpTransceiver } from '../../src/pc/media/transceiver.js';
import { type RtcpOutput, type RtcpSection, RtcpSession } from '../../src/rtp/rtcp-session.js';
import type { SdpCodec } from '../../src/sdp/codecs.js';

const TWCC_ID = 3;
const codec = (kind: 'audio' | 'video'): SdpCodec => ({
  payloadType: kind === 'audio' ? 111 : 96,
  name: kind === 'audio' ? 'opus' : 'VP8',
  clockRate: kind === 'audio' ? 48000 : 90000,
  feedback: [{ type: 'transport-cc' }],
});

function section(kind: 'audio' | 'video', ssrc: number, transportKey: object): RtcpSection {
  return {
    kind,
    codecs: [codec(kind)],
    ssrc,
    rtxSsrc: ssrc + 1,
    transportCcExtensionId: TWCC_ID,
    transportKey,
    onKeyFrameRequest: () => {},
  };
}

function rtp(pt: number, ssrc: number, seq: number, transportSeq: number): Uint8Array {
  return serializeRtp({
    marker: false,
    payloadType: pt,
    sequenceNumber: seq,
    timestamp: seq * 960,
    ssrc,
    csrcs: [],
    extension: serializeExtensionElements([
      { id: TWCC_ID, data: new Uint8Array([transportSeq >> 8, transportSeq & 0xff]) },
    ]),
    payload: new Uint8Array([1]),
    paddingLength: 0,
  });
}

function twccFeedback(s: RtcpSession) {
  const out: RtcpOutput[] = [];
  for (let o = s.pollOutput(); o; o = s.pollOutput()) out.push(o);
  return out
    .filter((o) => o.type === 'rtcp')
    .map((o) => ({ compound: parseRtcp(o.packet) }))
    .flatMap(({ compound }) =>
      compound.flatMap((p) => (p.type === 'twcc' ? [{ headerSsrc: readRr(compound), fb: p }] : [])),
    );
}

function readRr(compound: ReturnType<typeof parseRtcp>): number | undefined {
  const rr = compound.find((p) => p.type === 'rr');
  return rr?.type === 'rr' ? rr.ssrc : undefined;
}

describe('transport-cc feedback with unbundled transports (one sequence space per transport)', () => {
  it('two transports numbering from the same value each get complete feedback from their own SSRC', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const audioTransport = {};
    const videoTransport = {};
    const audio = section('audio', 0x1000, audioTransport);
    const video = section('video', 0x3000, videoTransport);
    s.setSections([audio, video]);
    // Each remote transport numbers its own packets from 100: interleaved, as they arrive.
    for (let i = 0; i < 10; i++) {
      s.onRtpReceived(rtp(96, 0xbbb, 50 + i, 100 + i), video, 1000 + i * 4);
      if (i < 5) s.onRtpReceived(rtp(111, 0xaaa, 70 + i, 100 + i), audio, 1001 + i * 4);
    }
    s.handleTimeout(1200, 0);
    const feedback = twccFeedback(s);
    // The first repeated number (audio's 100 after video's) shows two spaces: video's 100 went
    // out in the space both shared until then, everything after in a space per transport.
    expect(feedback).toHaveLength(3);
    const ours = new Map([
      [0xbbb, 0x3000],
      [0xaaa, 0x1000],
    ]);
    const received = new Map<number, number[]>();
    for (const { headerSsrc, fb } of feedback) {
      // Each feedback names one of our SSRCs on its own transport, so it leaves on that transport.
      expect(fb.senderSsrc).toBe(ours.get(fb.mediaSsrc));
      expect(headerSsrc).toBe(ours.get(fb.mediaSsrc));
      // Nothing reported lost: every status in every message is a received packet.
      expect(fb.packets.every((p) => p.status !== 0)).toBe(true);
      const got = received.get(fb.mediaSsrc) ?? [];
      got.push(...fb.packets.map((p) => p.sequenceNumber));
      received.set(fb.mediaSsrc, got);
    }
    expect(received.get(0xbbb)?.sort((x, y) => x - y)).toEqual([...Array(10).keys()].map((i) => 100 + i));
    expect(received.get(0xaaa)?.sort((x, y) => x - y)).toEqual([...Array(5).keys()].map((i) => 100 + i));
    // Merged into one space, the second transport's numbers were duplicates of the first's.
    expect(s.transportCc.lateOrDuplicate).toBe(0);
    expect(s.transportCc.feedbackSent).toBe(3);
  });

  it("one space across transports (Chrome 156 without BUNDLE) stays one feedback: no transport's packets reported as the other's losses", () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const audio = section('audio', 0x1000, {});
    const video = section('video', 0x3000, {});
    s.setSections([audio, video]);
    // Interleaved numbers from one counter, as Chrome sends them on its two transports.
    for (let n = 1; n <= 20; n++) {
      if (n % 3 === 0) s.onRtpReceived(rtp(96, 0xbbb, n, n), video, 1000 + n);
      else s.onRtpReceived(rtp(111, 0xaaa, n, n), audio, 1000 + n);
    }
    s.handleTimeout(1200, 0);
    const feedback = twccFeedback(s);
    expect(feedback).toHaveLength(1);
    const fb = feedback[0]!.fb;
    expect(fb.baseSequenceNumber).toBe(1);
    expect(fb.packets.map((p) => p.status)).toEqual(new Array(20).fill(1));
    expect(s.transportCc.lateOrDuplicate).toBe(0);
  });

  it('numbers too far apart to be one sequence show separate spaces without any repeat', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const audio = section('audio', 0x1000, {});
    const video = section('video', 0x3000, {});
    s.setSections([audio, video]);
    for (let i = 0; i < 5; i++) {
      s.onRtpReceived(rtp(111, 0xaaa, i, 1000 + i), audio, 1000 + i);
      s.onRtpReceived(rtp(96, 0xbbb, i, 40_000 + i), video, 1000 + i);
    }
    s.handleTimeout(1200, 0);
    const feedback = twccFeedback(s);
    expect(feedback.every(({ fb }) => fb.packets.every((p) => p.status !== 0))).toBe(true);
    const video40k = feedback.filter(({ fb }) => fb.mediaSsrc === 0xbbb).flatMap(({ fb }) => fb.packets);
    expect(video40k.map((p) => p.sequenceNumber).sort((x, y) => x - y)).toEqual([
      40_000, 40_001, 40_002, 40_003, 40_004,
    ]);
    expect(s.transportCc.lateOrDuplicate).toBe(0);
  });

  it('sections sharing a transport share one sequence space; a transport no section uses is forgotten', () => {
    const s = new RtcpSession('c', 42, () => 0.5);
    const shared = {};
    const audio = section('audio', 0x1000, shared);
    const video = section('video', 0x3000, shared);
    s.setSections([audio, video]);
    s.onRtpReceived(rtp(111, 0xaaa, 1, 7), audio, 0);
    s.onRtpReceived(rtp(96, 0xbbb, 1, 8), video, 1);
    s.onRtpReceived(rtp(96, 0xbbb, 2, 7), video, 2);
    expect(s.transportCc.lateOrDuplicate).toBe(1);
    s.handleTimeout(100, 0);
    const [only, ...rest] = twccFeedback(s);
    expect(rest).toEqual([]);
    expect(only?.fb.packets.map((p) => p.sequenceNumber)).toEqual([7, 8]);
    s.setSections([section('audio', 0x1000, {})]);
    s.onRtpReceived(rtp(111, 0xaaa, 2, 9), audio, 50);
    expect(s.transportCc.lateOrDuplicate).toBe(1);
    expect(s.transportCc.feedbackSent).toBe(1);
  });
});

describe('transport-cc through the transceiver binding', () => {
  it('a section follows the transport its transceiver is on now: moved onto a shared transport, the spaces merge', () => {
    const rtcp = new RtcpSession('c', 42, () => 0.5);
    const transports = { audio: { name: 'audio transport' }, video: { name: 'video transport' } };
    const carrying = new Map<RTCRtpTransceiver, object>();
    const bind = (kind: 'audio' | 'video') => {
      const t = new RTCRtpTransceiver(kind, 'recvonly', new RTCRtpSender(kind, 'cname'), () => {});
      t.negotiatedCodecs = [codec(kind)];
      t.sender.setNegotiated([codec(kind)], [{ id: TWCC_ID, uri: EXT_TRANSPORT_CC }]);
      carrying.set(t, transports[kind]);
      const section = bindTransceiverRtcp(
        t,
        rtcp,
        { now: () => 0, wallClock: () => 0 },
        () => {},
        () => carrying.get(t),
      );
      return { t, section };
    };
    const audio = bind('audio');
    const video = bind('video');
    rtcp.setSections([audio.section, video.section]);
    expect(audio.section.transportKey).toBe(transports.audio);
    expect(video.section.transportKey).toBe(transports.video);
    // Unbundled, both remote transports number from 1 (separate spaces): nothing is a duplicate.
    for (let i = 0; i < 3; i++) {
      receiveRoutedRtp(audio.t, audio.section, rtcp, rtp(111, 0xaaa, i, 1 + i), i);
      receiveRoutedRtp(video.t, video.section, rtcp, rtp(96, 0xbbb, i, 1 + i), i);
    }
    expect(rtcp.transportCc.lateOrDuplicate).toBe(0);
    rtcp.handleTimeout(200, 0);
    const feedback = twccFeedback(rtcp);
    expect(feedback.every(({ fb }) => fb.packets.every((p) => p.status !== 0))).toBe(true);
    for (const { fb } of feedback) {
      expect(fb.senderSsrc).toBe(fb.mediaSsrc === 0xaaa ? audio.t.sender.ssrc : video.t.sender.ssrc);
    }
    // A bundling renegotiation puts video on the audio transport: one space from then on.
    carrying.set(video.t, transports.audio);
    rtcp.setSections([audio.section, video.section]);
    receiveRoutedRtp(audio.t, audio.section, rtcp, rtp(111, 0xaaa, 10, 50), 300);
    receiveRoutedRtp(video.t, video.section, rtcp, rtp(96, 0xbbb, 10, 50), 301);
    expect(rtcp.transportCc.lateOrDuplicate).toBe(1);
  });
});
