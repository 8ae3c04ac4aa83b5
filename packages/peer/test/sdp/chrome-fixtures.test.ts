import { describe, expect, it } from 'vitest';
import {
  fingerprintToBytes,
  getAttribute,
  getAttributes,
  getCodecs,
  parseSdp,
  rtxPayloadTypes,
  serializeSdp,
} from '../../src/index.js';
import { chromeFixture } from './fixtures.js';

const FILES = [
  'chrome-offer-data.sdp',
  'chrome-answer-data.sdp',
  'chrome-offer-av.sdp',
  'chrome-offer-av-data.sdp',
];

describe('Chrome 156 SDP round trip', () => {
  for (const file of FILES) {
    it(`${file} re-serializes byte for byte and re-parses to an equal model`, () => {
      const text = chromeFixture(file);
      expect(text).toContain('\r\n');
      const model = parseSdp(text);
      const out = serializeSdp(model);
      expect(out).toBe(text);
      expect(parseSdp(out)).toEqual(model);
    });

    it(`${file} parses the same with LF-only line endings`, () => {
      const text = chromeFixture(file);
      const lf = text.replaceAll('\r\n', '\n');
      expect(lf).not.toContain('\r');
      expect(parseSdp(lf)).toEqual(parseSdp(text));
      expect(serializeSdp(parseSdp(lf))).toBe(text);
    });
  }
});

describe('chrome-offer-data.sdp typed values', () => {
  const sdp = parseSdp(chromeFixture('chrome-offer-data.sdp'));
  const m = sdp.media[0]!;

  it('has the session header Chrome writes', () => {
    expect(sdp.version).toBe(0);
    expect(sdp.origin).toEqual({
      username: '-',
      sessionId: '6142674065433985353',
      sessionVersion: '2',
      netType: 'IN',
      addrType: 'IP4',
      address: '127.0.0.1',
    });
    expect(sdp.sessionName).toBe('-');
    expect(sdp.timing).toEqual([{ start: '0', stop: '0', repeats: [] }]);
    expect(sdp.attributes).toEqual([
      { type: 'group', semantics: 'BUNDLE', mids: ['0'] },
      { type: 'extmap-allow-mixed' },
      { type: 'msid-semantic', semantics: 'WMS', ids: [] },
    ]);
  });

  it('has one data m-section with ICE, DTLS and SCTP parameters', () => {
    expect(sdp.media).toHaveLength(1);
    expect(m.kind).toBe('application');
    expect(m.port).toBe(37026);
    expect(m.protocol).toBe('UDP/DTLS/SCTP');
    expect(m.formats).toEqual(['webrtc-datachannel']);
    expect(m.connections).toEqual([{ netType: 'IN', addrType: 'IP4', address: '127.0.0.1' }]);
    expect(getAttribute(m, 'ice-ufrag')?.value).toBe('2QkW');
    expect(getAttribute(m, 'ice-pwd')?.value).toBe('u8VIPyL0j+TQ+42Le0vKMqL4');
    expect(getAttribute(m, 'ice-options')?.options).toEqual(['trickle']);
    expect(getAttribute(m, 'setup')?.role).toBe('actpass');
    expect(getAttribute(m, 'mid')?.value).toBe('0');
    expect(getAttribute(m, 'sctp-port')?.port).toBe(5000);
    expect(getAttribute(m, 'max-message-size')?.size).toBe(262144);
    const fp = getAttribute(m, 'fingerprint')!;
    expect(fp.algorithm).toBe('sha-256');
    expect(fp.value).toBe(
      '0A:BD:C5:56:45:7B:FA:11:D6:18:4F:99:D9:C0:02:77:27:82:9A:A4:6A:1A:3E:B3:8E:08:70:9F:5B:20:50:A0',
    );
    const digest = fingerprintToBytes(fp.value);
    expect(digest).toHaveLength(32);
    expect(digest[0]).toBe(0x0a);
    expect(digest[31]).toBe(0xa0);
  });

  it('exposes both candidates with their extensions', () => {
    const candidates = getAttributes(m, 'candidate').map((a) => a.candidate);
    expect(candidates).toEqual([
      {
        foundation: '3054724831',
        component: 1,
        transport: 'udp',
        priority: 2122260223,
        address: '127.0.0.1',
        port: 37026,
        type: 'host',
        generation: 0,
        networkId: 1,
        networkCost: 50,
        extensions: [],
      },
      {
        foundation: '3369894983',
        component: 1,
        transport: 'tcp',
        priority: 1518280447,
        address: '127.0.0.1',
        port: 9,
        type: 'host',
        tcpType: 'active',
        generation: 0,
        networkId: 1,
        networkCost: 50,
        extensions: [],
      },
    ]);
  });
});

describe('chrome-answer-data.sdp typed values', () => {
  const sdp = parseSdp(chromeFixture('chrome-answer-data.sdp'));
  const m = sdp.media[0]!;
  it('answers with setup:active and its own ICE credentials', () => {
    expect(getAttribute(m, 'setup')?.role).toBe('active');
    expect(getAttribute(m, 'ice-ufrag')?.value).toBe('ImPC');
    expect(getAttribute(m, 'ice-pwd')?.value).toBe('6yH3xiFhqYDqjcQ0lQhi897y');
    expect(getAttributes(m, 'candidate')).toHaveLength(1);
    expect(getAttribute(m, 'candidate')?.candidate.port).toBe(39161);
    expect(getAttribute(m, 'sctp-port')?.port).toBe(5000);
    expect(getAttribute(m, 'max-message-size')?.size).toBe(262144);
  });
});

describe('chrome-offer-av-data.sdp typed values', () => {
  const sdp = parseSdp(chromeFixture('chrome-offer-av-data.sdp'));
  const [audio, video, data] = sdp.media as [
    (typeof sdp.media)[0],
    (typeof sdp.media)[0],
    (typeof sdp.media)[0],
  ];

  it('bundles three sections and names the stream', () => {
    expect(getAttribute(sdp, 'group')).toEqual({ type: 'group', semantics: 'BUNDLE', mids: ['0', '1', '2'] });
    expect(getAttribute(sdp, 'msid-semantic')?.ids).toEqual(['abde72a9-cebb-4192-ba28-2f174ce11631']);
    expect(sdp.media.map((m) => [m.kind, getAttribute(m, 'mid')?.value])).toEqual([
      ['audio', '0'],
      ['video', '1'],
      ['application', '2'],
    ]);
    expect(data.protocol).toBe('UDP/DTLS/SCTP');
    expect(getAttribute(data, 'sctp-port')?.port).toBe(5000);
  });

  it('reads the audio codecs, fmtp and rtcp-fb', () => {
    expect(audio.protocol).toBe('UDP/TLS/RTP/SAVPF');
    expect(audio.formats).toEqual(['111', '63', '9', '0', '8', '13', '110', '126']);
    const codecs = getCodecs(audio);
    expect(codecs.map((c) => `${c.payloadType} ${c.name}/${c.clockRate}/${c.channels ?? 1}`)).toEqual([
      '111 opus/48000/2',
      '63 red/48000/2',
      '9 G722/8000/1',
      '0 PCMU/8000/1',
      '8 PCMA/8000/1',
      '13 CN/8000/1',
      '110 telephone-event/48000/1',
      '126 telephone-event/8000/1',
    ]);
    expect(codecs[0]!.parameters).toBe('minptime=10;useinbandfec=1');
    expect(codecs[0]!.feedback).toEqual([{ type: 'transport-cc' }]);
    expect(codecs[1]!.parameters).toBe('111/111');
    expect(getAttribute(audio, 'rtcp')).toEqual({
      type: 'rtcp',
      port: 9,
      netType: 'IN',
      addrType: 'IP4',
      address: '0.0.0.0',
    });
    expect(getAttribute(audio, 'rtcp-mux')).toBeDefined();
    expect(getAttribute(audio, 'rtcp-rsize')).toBeDefined();
    expect(getAttribute(audio, 'direction')?.direction).toBe('sendrecv');
    expect(getAttribute(audio, 'generic')).toEqual({
      type: 'generic',
      key: 'rtcp-xr',
      value: 'rcvr-rtt=all',
    });
  });

  it('reads the audio header extensions and ssrc lines', () => {
    expect(getAttributes(audio, 'extmap').map((e) => [e.id, e.uri])).toEqual([
      [1, 'urn:ietf:params:rtp-hdrext:ssrc-audio-level'],
      [2, 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time'],
      [3, 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01'],
      [4, 'urn:ietf:params:rtp-hdrext:sdes:mid'],
    ]);
    expect(getAttribute(audio, 'msid')).toEqual({
      type: 'msid',
      streamId: 'abde72a9-cebb-4192-ba28-2f174ce11631',
      trackId: '72678a6a-236c-46be-becb-111e8d633c83',
    });
    expect(getAttributes(audio, 'ssrc')).toEqual([
      { type: 'ssrc', ssrc: 1013306882, attribute: 'cname', value: 'mXzXS9rUU/IMy87+' },
      {
        type: 'ssrc',
        ssrc: 1013306882,
        attribute: 'msid',
        value: 'abde72a9-cebb-4192-ba28-2f174ce11631 72678a6a-236c-46be-becb-111e8d633c83',
      },
    ]);
  });

  it('maps every video RTX codec to its primary through apt', () => {
    const codecs = getCodecs(video);
    expect(codecs).toHaveLength(23);
    const rtx = rtxPayloadTypes(codecs);
    expect(Object.fromEntries(rtx)).toEqual({
      96: 97,
      102: 103,
      104: 107,
      108: 109,
      114: 115,
      116: 117,
      39: 40,
      45: 46,
      98: 99,
      100: 101,
      118: 119,
    });
    const vp8 = codecs.find((c) => c.payloadType === 96)!;
    expect(vp8.name).toBe('VP8');
    expect(vp8.feedback).toEqual([
      { type: 'goog-remb' },
      { type: 'transport-cc' },
      { type: 'ccm', parameter: 'fir' },
      { type: 'nack' },
      { type: 'nack', parameter: 'pli' },
    ]);
    const h264 = codecs.find((c) => c.payloadType === 102)!;
    expect(h264.parameters).toBe('level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f');
    expect(codecs.find((c) => c.payloadType === 45)?.name).toBe('AV1');
    expect(codecs.find((c) => c.payloadType === 120)?.name).toBe('ulpfec');
  });

  it('reads the video extmaps, ssrc-group FID and ssrcs', () => {
    const extmaps = getAttributes(video, 'extmap');
    expect(extmaps).toHaveLength(11);
    expect(extmaps.find((e) => e.uri === 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id')?.id).toBe(10);
    expect(extmaps.find((e) => e.uri === 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id')?.id).toBe(
      11,
    );
    expect(extmaps[0]).toEqual({ type: 'extmap', id: 14, uri: 'urn:ietf:params:rtp-hdrext:toffset' });
    expect(getAttribute(video, 'ssrc-group')).toEqual({
      type: 'ssrc-group',
      semantics: 'FID',
      ssrcs: [2330503137, 1791152196],
    });
    expect(getAttributes(video, 'ssrc').filter((s) => s.attribute === 'cname')).toHaveLength(2);
  });
});

describe('chrome-offer-av.sdp typed values', () => {
  const sdp = parseSdp(chromeFixture('chrome-offer-av.sdp'));
  it('has audio and video with the shared ICE and DTLS parameters', () => {
    expect(sdp.media.map((m) => m.kind)).toEqual(['audio', 'video']);
    for (const m of sdp.media) {
      expect(getAttribute(m, 'ice-ufrag')?.value).toBe('n93n');
      expect(getAttribute(m, 'fingerprint')?.value.startsWith('26:C0:35:6E')).toBe(true);
    }
    expect(getAttribute(sdp.media[1]!, 'ssrc-group')?.ssrcs).toEqual([4213840602, 638494273]);
    expect(getAttribute(sdp.media[0]!, 'candidate')?.candidate.foundation).toBe('1801666124');
  });
});
