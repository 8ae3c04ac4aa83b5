import { describe, expect, it } from 'vitest';
import {
  buildDataSection,
  buildRtpSection,
  buildSessionDescription,
  getAttribute,
  getAttributes,
  getBundleGroups,
  getCodecs,
  getFingerprints,
  isRejected,
  parseSdp,
  type SdpMediaSection,
  serializeSdp,
  type TransportSectionInit,
} from '../../src/index.js';
import { chromeFixture } from './fixtures.js';

/** The transport parameters of one of Chrome's sections, as a builder takes them. */
function transportOf(m: SdpMediaSection): TransportSectionInit {
  return {
    mid: getAttribute(m, 'mid')!.value,
    port: m.port,
    connection: m.connections[0]!,
    iceUfrag: getAttribute(m, 'ice-ufrag')!.value,
    icePwd: getAttribute(m, 'ice-pwd')!.value,
    fingerprints: getFingerprints(m),
    setup: getAttribute(m, 'setup')!.role,
    candidates: getAttributes(m, 'candidate').map((a) => a.candidate),
  };
}

function rtpSectionLike(m: SdpMediaSection): SdpMediaSection {
  const msid = getAttribute(m, 'msid')!;
  const cname = getAttribute(m, 'ssrc')!.value!;
  const fid = getAttribute(m, 'ssrc-group');
  const ssrc = fid?.ssrcs[0] ?? getAttribute(m, 'ssrc')!.ssrc;
  return buildRtpSection({
    ...transportOf(m),
    kind: m.kind as 'audio' | 'video',
    direction: 'sendrecv',
    codecs: getCodecs(m),
    headerExtensions: getAttributes(m, 'extmap').map(({ id, uri }) => ({ id, uri })),
    msid: { streamId: msid.streamId, trackId: msid.trackId! },
    ssrcs: [fid === undefined ? { ssrc, cname } : { ssrc, cname, rtxSsrc: fid.ssrcs[1]! }],
  });
}

describe('m-section builders reproduce what Chrome writes', () => {
  it('a data-only offer, byte for byte', () => {
    const text = chromeFixture('chrome-offer-data.sdp');
    const chrome = parseSdp(text);
    const built = buildSessionDescription({
      sessionId: chrome.origin.sessionId,
      sessionVersion: 2n,
      media: [buildDataSection(transportOf(chrome.media[0]!))],
    });
    expect(serializeSdp(built)).toBe(text);
  });

  it("an audio+video+data offer, byte for byte except Chrome's a=rtcp-xr", () => {
    const text = chromeFixture('chrome-offer-av-data.sdp');
    const chrome = parseSdp(text);
    const [audio, video, data] = chrome.media as [SdpMediaSection, SdpMediaSection, SdpMediaSection];
    const built = buildSessionDescription({
      sessionId: chrome.origin.sessionId,
      sessionVersion: '2',
      msidStreamIds: getAttribute(chrome, 'msid-semantic')!.ids,
      media: [rtpSectionLike(audio), rtpSectionLike(video), buildDataSection(transportOf(data))],
    });
    expect(serializeSdp(built)).toBe(text.replaceAll('a=rtcp-xr:rcvr-rtt=all\r\n', ''));
  });
});

describe('builder defaults (RFC 9429 5.2.1)', () => {
  const transport: TransportSectionInit = {
    mid: 'd',
    iceUfrag: 'ufrag',
    icePwd: 'passwordpasswordpassword',
    fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }],
    setup: 'actpass',
  };

  it('uses port 9, c=IN IP4 0.0.0.0, trickle, SCTP port 5000 and 256 KiB messages', () => {
    const m = buildDataSection(transport);
    expect(m.port).toBe(9);
    expect(m.protocol).toBe('UDP/DTLS/SCTP');
    expect(m.formats).toEqual(['webrtc-datachannel']);
    expect(m.connections).toEqual([{ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' }]);
    expect(getAttribute(m, 'ice-options')?.options).toEqual(['trickle']);
    expect(getAttribute(m, 'sctp-port')?.port).toBe(5000);
    expect(getAttribute(m, 'max-message-size')?.size).toBe(262144);
    expect(getAttribute(m, 'end-of-candidates')).toBeUndefined();
  });

  it('writes bundle-only sections with port 0 and keeps them in the default BUNDLE group', () => {
    const first = buildDataSection({ ...transport, mid: '0' });
    const second = buildRtpSection({
      ...transport,
      mid: '1',
      bundleOnly: true,
      kind: 'audio',
      direction: 'recvonly',
      codecs: [{ payloadType: 111, name: 'opus', clockRate: 48000, channels: 2, feedback: [] }],
    });
    const rejected = { ...buildDataSection({ ...transport, mid: '2' }), port: 0 };
    expect(second.port).toBe(0);
    expect(isRejected(second)).toBe(false);
    expect(isRejected(rejected)).toBe(true);
    const session = buildSessionDescription({
      sessionId: '1',
      sessionVersion: 1,
      media: [first, second, rejected],
    });
    expect(getBundleGroups(session)).toEqual([['0', '1']]);
    const text = serializeSdp(session);
    expect(text).toContain('m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n');
    expect(text).toContain('a=bundle-only\r\n');
    expect(text).toContain('a=recvonly\r\n');
    expect(text).toContain('a=rtcp-mux\r\n');
    expect(parseSdp(text)).toEqual(session);
  });

  it('writes rid and simulcast lines and end-of-candidates', () => {
    const m = buildRtpSection({
      ...transport,
      endOfCandidates: true,
      kind: 'video',
      direction: 'recvonly',
      codecs: [{ payloadType: 96, name: 'VP8', clockRate: 90000, feedback: [{ type: 'nack' }] }],
      rids: [
        { id: 'f', direction: 'recv' },
        { id: 'h', direction: 'recv', payloadTypes: [96] },
      ],
      simulcast: { recv: [[{ rid: 'f', paused: false }], [{ rid: 'h', paused: false }]] },
      rtcpRsize: false,
    });
    const text = serializeSdp(buildSessionDescription({ sessionId: '1', sessionVersion: 1, media: [m] }));
    expect(text).toContain('a=end-of-candidates\r\na=ice-ufrag:ufrag\r\n');
    expect(text).toContain('a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\n');
    expect(text).toContain('a=rid:f recv\r\na=rid:h recv pt=96\r\na=simulcast:recv f;h\r\n');
    expect(text).not.toContain('rtcp-rsize');
  });
});
