import { describe, expect, it } from 'vitest';
import {
  fromRtpCodecParameters,
  getCodecs,
  getMediaStreamIds,
  getSources,
  parseSdp,
  toRtpCodecParameters,
} from '../../src/index.js';
import { chromeFixture } from './fixtures.js';

const AV = parseSdp(chromeFixture('chrome-offer-av-data.sdp'));
const section = (lines: string[]) =>
  parseSdp(
    ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', ...lines, ''].join(
      '\r\n',
    ),
  ).media[0]!;

describe('sources and stream ids', () => {
  it("folds Chrome's FID repair ssrc into the primary source (RFC 4588 8.1)", () => {
    expect(getSources(AV.media[1]!)).toEqual([
      {
        ssrc: 2330503137,
        cname: 'mXzXS9rUU/IMy87+',
        streamId: 'abde72a9-cebb-4192-ba28-2f174ce11631',
        trackId: 'c8ade07d-3c80-4402-81b3-10f8d3d253ac',
        rtxSsrc: 1791152196,
      },
    ]);
    expect(getSources(AV.media[0]!).map((s) => [s.ssrc, s.rtxSsrc])).toEqual([[1013306882, undefined]]);
    expect(getSources(AV.media[2]!)).toEqual([]);
  });

  it('handles FEC-FR groups, SIM layers and groups without ssrc lines', () => {
    const m = section([
      'a=ssrc-group:SIM 1 2',
      'a=ssrc-group:FID 1 11',
      'a=ssrc-group:FID 2 12',
      'a=ssrc-group:FEC-FR 1 21',
      'a=ssrc:1 cname:c',
      'a=ssrc:11 cname:c',
      'a=ssrc:2 cname:c',
    ]);
    expect(getSources(m)).toEqual([
      { ssrc: 1, cname: 'c', rtxSsrc: 11, fecSsrc: 21 },
      { ssrc: 2, cname: 'c', rtxSsrc: 12 },
    ]);
  });

  it('reads stream ids from a=msid, then from the legacy ssrc msid (RFC 8830 2)', () => {
    expect(getMediaStreamIds(AV.media[0]!)).toEqual({
      streamIds: ['abde72a9-cebb-4192-ba28-2f174ce11631'],
      trackId: '72678a6a-236c-46be-becb-111e8d633c83',
    });
    expect(getMediaStreamIds(section(['a=msid:- t']))).toEqual({ streamIds: [], trackId: 't' });
    expect(getMediaStreamIds(section(['a=msid:s1 t', 'a=msid:s2 t']))).toEqual({
      streamIds: ['s1', 's2'],
      trackId: 't',
    });
    expect(getMediaStreamIds(section(['a=ssrc:5 msid:legacy tr']))).toEqual({
      streamIds: ['legacy'],
      trackId: 'tr',
    });
    expect(getMediaStreamIds(section(['a=ssrc:5 cname:x']))).toBeUndefined();
    expect(getMediaStreamIds(AV.media[2]!)).toBeUndefined();
  });
});

describe('RTCRtpCodecParameters conversion (W3C webrtc-pc 5.2)', () => {
  it('maps SDP codecs to mimeType/clockRate/channels/sdpFmtpLine and back', () => {
    const opus = getCodecs(AV.media[0]!)[0]!;
    const params = toRtpCodecParameters('audio', opus);
    expect(params).toEqual({
      payloadType: 111,
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      sdpFmtpLine: 'minptime=10;useinbandfec=1',
    });
    expect(fromRtpCodecParameters(params)).toEqual({ ...opus, feedback: [] });
    const vp8 = getCodecs(AV.media[1]!)[0]!;
    expect(toRtpCodecParameters('video', vp8)).toEqual({
      payloadType: 96,
      mimeType: 'video/VP8',
      clockRate: 90000,
    });
  });
});
