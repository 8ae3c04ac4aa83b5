import { afterAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection, SessionDescription as WeriftSessionDescription } from 'werift';
import {
  buildDataSection,
  buildRtpSection,
  buildSessionDescription,
  getAttribute,
  getAttributes,
  getCodecs,
  getDirection,
  getIceParameters,
  getMid,
  isAllowedAnswerDirection,
  negotiateCodecs,
  parseSdp,
  serializeSdp,
  verifyDescription,
} from '../../src/index.js';
import { chromeFixture } from './fixtures.js';

// SDP written by werift (a stack we did not write) must parse, and what we write must be read
// by werift with the same values.
describe('SDP interop with werift', () => {
  const pc = new RTCPeerConnection({});
  afterAll(async () => {
    await pc.close();
  });

  it('parses werift offers and round-trips them to an equal model', async () => {
    pc.createDataChannel('chat');
    pc.addTransceiver('video', { direction: 'sendrecv' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const offer = await pc.createOffer();
    const text = offer.sdp;
    const model = parseSdp(text);
    expect(parseSdp(serializeSdp(model))).toEqual(model);
    // werift writes "msid-semantic:WMS"; everything else comes back byte for byte.
    expect(serializeSdp(model)).toBe(text.replace('a=msid-semantic:WMS', 'a=msid-semantic: WMS'));

    const theirs = WeriftSessionDescription.parse(text);
    expect(model.media.map((m) => m.kind)).toEqual(theirs.media.map((m) => m.kind));
    expect(model.media.map(getMid)).toEqual(['0', '1', '2']);
    expect(getAttribute(model, 'group')?.mids).toEqual(theirs.group[0]?.items);
    const [video, audio, data] = model.media as [
      (typeof model.media)[0],
      (typeof model.media)[0],
      (typeof model.media)[0],
    ];
    expect(getIceParameters(video).ufrag).toBe(theirs.media[0]!.iceParams?.usernameFragment);
    expect(getIceParameters(video).pwd).toBe(theirs.media[0]!.iceParams?.password);
    expect(getAttribute(video, 'fingerprint')?.value).toBe(
      theirs.media[0]!.dtlsParams?.fingerprints[0]?.value,
    );
    expect(getDirection(video)).toBe('sendrecv');
    expect(getDirection(audio)).toBe('recvonly');
    expect(getCodecs(video).map((c) => c.name)).toEqual(['VP8']);
    expect(getCodecs(audio).map((c) => c.payloadType)).toEqual([96, 0]);
    expect(getAttribute(data, 'sctp-port')?.port).toBe(theirs.media[2]!.sctpPort);
    expect(getAttribute(data, 'max-message-size')?.size).toBe(65536);
  });

  it('werift reads what our builders write', () => {
    const chrome = parseSdp(chromeFixture('chrome-offer-av-data.sdp'));
    const src = chrome.media[1]!;
    const transport = {
      iceUfrag: 'abcd',
      icePwd: 'abcdefghijklmnopqrstuvwx',
      fingerprints: [{ algorithm: 'sha-256', value: getAttribute(src, 'fingerprint')!.value }],
      setup: 'actpass' as const,
      candidates: getAttributes(src, 'candidate').map((a) => a.candidate),
    };
    const ours = buildSessionDescription({
      sessionId: '123',
      sessionVersion: 1,
      media: [
        buildRtpSection({
          ...transport,
          mid: 'v',
          kind: 'video',
          direction: 'sendonly',
          codecs: getCodecs(src).slice(0, 4),
          headerExtensions: [{ id: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' }],
          msid: { streamId: 's', trackId: 't' },
          ssrcs: [{ ssrc: 1111, cname: 'cn', rtxSsrc: 2222 }],
        }),
        buildDataSection({ ...transport, mid: 'd', maxMessageSize: 100000 }),
      ],
    });
    const theirs = WeriftSessionDescription.parse(serializeSdp(ours));
    expect(theirs.group[0]?.items).toEqual(['v', 'd']);
    const [video, data] = theirs.media as [(typeof theirs.media)[0], (typeof theirs.media)[0]];
    expect(video.kind).toBe('video');
    expect(video.direction).toBe('sendonly');
    expect(video.rtcpMux).toBe(true);
    expect(video.iceParams?.usernameFragment).toBe('abcd');
    expect(video.iceParams?.password).toBe('abcdefghijklmnopqrstuvwx');
    expect(video.dtlsParams?.fingerprints[0]?.algorithm).toBe('sha-256');
    expect(video.dtlsParams?.role).toBe('auto');
    expect(video.iceCandidates).toHaveLength(2);
    expect(video.iceCandidates[0]?.port).toBe(60005);
    expect(video.rtp.codecs.map((c) => [c.payloadType, c.mimeType])).toEqual([
      [96, 'video/VP8'],
      [97, 'video/rtx'],
      [102, 'video/H264'],
      [103, 'video/rtx'],
    ]);
    expect(video.rtp.headerExtensions.map((e) => [e.id, e.uri])).toEqual([
      [4, 'urn:ietf:params:rtp-hdrext:sdes:mid'],
    ]);
    expect(video.ssrcGroup[0]?.semantic).toBe('FID');
    expect(video.ssrcGroup[0]?.items.map(Number)).toEqual([1111, 2222]);
    expect(video.msid).toBe('s t');
    expect(data.kind).toBe('application');
    expect(data.sctpPort).toBe(5000);
    expect(data.sctpCapabilities?.maxMessageSize).toBe(100000);
  });

  it("werift's answer to Chrome's offer passes our answer checks and matches our codec negotiation", async () => {
    const answerer = new RTCPeerConnection({});
    try {
      const offerText = chromeFixture('chrome-offer-av-data.sdp');
      await answerer.setRemoteDescription({ type: 'offer', sdp: offerText });
      const answer = parseSdp((await answerer.createAnswer()).sdp);
      const offer = parseSdp(offerText);
      expect(() => verifyDescription(answer, { type: 'answer', offer })).not.toThrow();
      answer.media.forEach((m, i) => {
        expect(getMid(m)).toBe(getMid(offer.media[i]!));
        expect(getAttribute(m, 'setup')?.role).toBe('active');
        if (m.kind === 'application') return;
        expect(isAllowedAnswerDirection(getDirection(offer.media[i]!), getDirection(m))).toBe(true);
      });
      // werift supports opus and PCMU for audio: our negotiation picks what it answered.
      const ours = negotiateCodecs(getCodecs(offer.media[0]!), [
        {
          payloadType: 96,
          name: 'opus',
          clockRate: 48000,
          channels: 2,
          feedback: [{ type: 'transport-cc' }],
        },
        { payloadType: 0, name: 'PCMU', clockRate: 8000, feedback: [] },
      ]);
      const theirs = getCodecs(answer.media[0]!);
      expect(ours.map((c) => [c.payloadType, c.name, c.feedback])).toEqual(
        theirs.map((c) => [c.payloadType, c.name, c.feedback]),
      );
    } finally {
      await answerer.close();
    }
  });
});
