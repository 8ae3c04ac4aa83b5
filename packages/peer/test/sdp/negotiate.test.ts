import { describe, expect, it } from 'vitest';
import {
  codecAttributes,
  codecsMatch,
  findCodecsByName,
  findRtxFor,
  formatFmtpParameters,
  getAttributes,
  getCodecs,
  negotiateCodecs,
  negotiateHeaderExtensions,
  parseFmtpParameters,
  parseSdp,
  rtxApt,
  type SdpCodec,
} from '../../src/index.js';
import { chromeFixture } from './fixtures.js';

const offer = parseSdp(chromeFixture('chrome-offer-av.sdp'));
const offeredAudio = getCodecs(offer.media[0]!);
const offeredVideo = getCodecs(offer.media[1]!);

const codec = (
  payloadType: number,
  name: string,
  clockRate: number,
  extra: Partial<SdpCodec> = {},
): SdpCodec => ({
  payloadType,
  name,
  clockRate,
  feedback: [],
  ...extra,
});

describe('codec helpers', () => {
  it('finds codecs by name ignoring case (RFC 4855 3)', () => {
    expect(findCodecsByName(offeredVideo, 'h264').map((c) => c.payloadType)).toEqual([
      102, 104, 108, 114, 116, 39,
    ]);
    expect(findCodecsByName(offeredAudio, 'OPUS').map((c) => c.payloadType)).toEqual([111]);
    expect(findCodecsByName(offeredAudio, 'vp8')).toEqual([]);
  });

  it('maps RTX to its primary through apt (RFC 4588 8.1)', () => {
    expect(rtxApt(offeredVideo.find((c) => c.payloadType === 97)!)).toBe(96);
    expect(rtxApt(offeredVideo.find((c) => c.payloadType === 96)!)).toBeUndefined();
    expect(findRtxFor(offeredVideo, 118)?.payloadType).toBe(119);
    expect(findRtxFor(offeredVideo, 120)).toBeUndefined();
  });

  it('parses and formats fmtp key=value lists', () => {
    const params = parseFmtpParameters(
      'level-asymmetry-allowed=1; Packetization-Mode=1;profile-level-id=42e01f',
    );
    expect([...params]).toEqual([
      ['level-asymmetry-allowed', '1'],
      ['packetization-mode', '1'],
      ['profile-level-id', '42e01f'],
    ]);
    expect(formatFmtpParameters(params)).toBe(
      'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    );
    expect([...parseFmtpParameters('111/111')]).toEqual([['111/111', '']]);
    expect(parseFmtpParameters(undefined).size).toBe(0);
  });

  it('falls back to RFC 3551 static payload types and applies rtcp-fb:* to every codec', () => {
    const sdp = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8 96 97\r\na=rtcp-fb:* nack\r\na=rtpmap:97 opus/48000/2\r\n',
    );
    expect(getCodecs(sdp.media[0]!)).toEqual([
      codec(0, 'PCMU', 8000, { feedback: [{ type: 'nack' }] }),
      codec(8, 'PCMA', 8000, { feedback: [{ type: 'nack' }] }),
      codec(97, 'opus', 48000, { channels: 2, feedback: [{ type: 'nack' }] }),
    ]);
  });

  it('writes a codec as rtpmap, rtcp-fb and fmtp lines', () => {
    expect(
      codecAttributes(
        codec(111, 'opus', 48000, {
          channels: 2,
          parameters: 'minptime=10',
          feedback: [{ type: 'transport-cc' }],
        }),
      ),
    ).toEqual([
      { type: 'rtpmap', payloadType: 111, encodingName: 'opus', clockRate: 48000, channels: 2 },
      { type: 'rtcp-fb', payloadType: 111, feedbackType: 'transport-cc' },
      { type: 'fmtp', payloadType: 111, parameters: 'minptime=10' },
    ]);
  });
});

describe('codecsMatch', () => {
  it('needs equal name (any case), clock rate and channels (RFC 3264 6.1)', () => {
    expect(
      codecsMatch(codec(111, 'opus', 48000, { channels: 2 }), codec(96, 'OPUS', 48000, { channels: 2 })),
    ).toBe(true);
    expect(codecsMatch(codec(111, 'opus', 48000, { channels: 2 }), codec(96, 'opus', 48000))).toBe(false);
    expect(codecsMatch(codec(0, 'PCMU', 8000), codec(0, 'PCMU', 8000, { channels: 1 }))).toBe(true);
    expect(codecsMatch(codec(0, 'PCMU', 8000), codec(0, 'PCMU', 16000))).toBe(false);
  });

  it('compares H.264 packetization-mode and profile, not level (RFC 6184 8.2.2)', () => {
    const h264 = (p: string) => codec(100, 'H264', 90000, { parameters: p });
    expect(
      codecsMatch(
        h264('packetization-mode=1;profile-level-id=42e01f'),
        h264('profile-level-id=42e034;packetization-mode=1'),
      ),
    ).toBe(true);
    expect(
      codecsMatch(
        h264('packetization-mode=1;profile-level-id=42e01f'),
        h264('packetization-mode=0;profile-level-id=42e01f'),
      ),
    ).toBe(false);
    expect(
      codecsMatch(
        h264('packetization-mode=1;profile-level-id=42e01f'),
        h264('packetization-mode=1;profile-level-id=42001f'),
      ),
    ).toBe(false);
    expect(codecsMatch(h264('profile-level-id=420010'), h264(''))).toBe(true);
  });

  it('compares VP9 profile-id and AV1 profile', () => {
    expect(codecsMatch(codec(98, 'VP9', 90000, { parameters: 'profile-id=0' }), codec(1, 'VP9', 90000))).toBe(
      true,
    );
    expect(codecsMatch(codec(98, 'VP9', 90000, { parameters: 'profile-id=2' }), codec(1, 'VP9', 90000))).toBe(
      false,
    );
    expect(codecsMatch(codec(45, 'AV1', 90000, { parameters: 'profile=1' }), codec(1, 'AV1', 90000))).toBe(
      false,
    );
  });
});

describe('negotiateCodecs (RFC 9429 5.3.1, RFC 3264 6.1)', () => {
  const localVideo: SdpCodec[] = [
    codec(100, 'H264', 90000, {
      parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      feedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
    }),
    codec(101, 'rtx', 90000, { parameters: 'apt=100' }),
    codec(110, 'VP8', 90000, {
      feedback: [
        { type: 'transport-cc' },
        { type: 'nack' },
        { type: 'nack', parameter: 'pli' },
        { type: 'x-mine' },
      ],
    }),
    codec(111, 'rtx', 90000, { parameters: 'apt=110' }),
  ];

  it('keeps offered payload types and order, intersects rtcp-fb, remaps RTX apt', () => {
    expect(negotiateCodecs(offeredVideo, localVideo)).toEqual([
      codec(96, 'VP8', 90000, {
        feedback: [{ type: 'transport-cc' }, { type: 'nack' }, { type: 'nack', parameter: 'pli' }],
      }),
      codec(97, 'rtx', 90000, { parameters: 'apt=96' }),
      codec(108, 'H264', 90000, {
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
        feedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
      }),
      codec(109, 'rtx', 90000, { parameters: 'apt=108' }),
    ]);
  });

  it('orders by local preference when asked (codec preferences)', () => {
    const answer = negotiateCodecs(offeredVideo, localVideo, { order: 'local' });
    expect(answer.map((c) => c.payloadType)).toEqual([108, 109, 96, 97]);
  });

  it('drops RTX when the answerer has none, and codecs it does not support', () => {
    const answer = negotiateCodecs(
      offeredVideo,
      localVideo.filter((c) => c.name !== 'rtx'),
    );
    expect(answer.map((c) => c.payloadType)).toEqual([96, 108]);
    expect(negotiateCodecs(offeredVideo, [codec(1, 'H265', 90000)])).toEqual([]);
  });

  it("uses the answerer's fmtp for primaries but the offer's for RED", () => {
    const answer = negotiateCodecs(offeredAudio, [
      codec(100, 'opus', 48000, { channels: 2, parameters: 'minptime=10;useinbandfec=1;stereo=1' }),
      codec(101, 'red', 48000, { channels: 2, parameters: '100/100' }),
      codec(0, 'PCMU', 8000),
    ]);
    expect(answer.map((c) => [c.payloadType, c.parameters])).toEqual([
      [111, 'minptime=10;useinbandfec=1;stereo=1'],
      [63, '111/111'],
      [0, undefined],
    ]);
  });

  it('keeps offered header extensions that are supported, with the offered ids (RFC 8285 6)', () => {
    const offered = getAttributes(offer.media[0]!, 'extmap');
    expect(
      negotiateHeaderExtensions(offered, [
        'urn:ietf:params:rtp-hdrext:sdes:mid',
        'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
        'urn:example:unknown',
      ]),
    ).toEqual([
      { type: 'extmap', id: 1, uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level' },
      { type: 'extmap', id: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
    ]);
  });
});
