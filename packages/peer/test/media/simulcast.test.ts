import { serializeExtensionElements, serializeRtp } from '@purertc/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIDEO_CODECS,
  EXT_MID,
  EXT_REPAIRED_RID,
  EXT_RID,
} from '../../src/pc/media/default-codecs.js';
import { RTCRtpReceiver } from '../../src/pc/media/receiver.js';
import {
  receivedRids,
  ridExtensionIds,
  SimulcastLayerMap,
  simulcastAnswer,
  simulcastReceiveOffer,
} from '../../src/pc/media/simulcast.js';
import { buildRtpSection } from '../../src/sdp/build.js';
import type { SdpMediaSection } from '../../src/sdp/model.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';

/** The video section of what Chrome 156 offers for sendEncodings [{rid:'q'},{rid:'h'},{rid:'f'}]. */
const CHROME_SIMULCAST_OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS s',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 F6:CB:47:D1:A4:72:C4:BB:7C:6A:B3:69:53:94:B0:18:2A:24:2A:60:37:8C:0E:2D:A2:42:AE:56:86:3F:00:FC',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'a=sendonly',
  'a=msid:s t',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 transport-cc',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:99 rtx/90000',
  'a=fmtp:99 apt=98',
  'a=rid:q send',
  'a=rid:h send',
  'a=rid:f send',
  'a=simulcast:send q;h;f',
  '',
].join('\r\n');

function offerSection(text = CHROME_SIMULCAST_OFFER): SdpMediaSection {
  return parseSdp(text).media[0]!;
}

const ALL_URIS = [EXT_MID, EXT_RID, EXT_REPAIRED_RID];

describe('simulcast SDP (RFC 8851, RFC 8853)', () => {
  it("answers Chrome's a=simulcast:send q;h;f with rid recv lines and a=simulcast:recv q;h;f", () => {
    const answer = simulcastAnswer(offerSection(), ALL_URIS, DEFAULT_VIDEO_CODECS);
    expect(answer).toEqual({
      rids: [
        { id: 'q', direction: 'recv' },
        { id: 'h', direction: 'recv' },
        { id: 'f', direction: 'recv' },
      ],
      simulcast: {
        recv: [[{ rid: 'q', paused: false }], [{ rid: 'h', paused: false }], [{ rid: 'f', paused: false }]],
      },
    });
    // Written into a section, it serializes as RFC 8851 10 / RFC 8853 5.1 spell it.
    const section = buildRtpSection({
      mid: '0',
      iceUfrag: 'u',
      icePwd: 'p',
      fingerprints: [],
      setup: 'active',
      kind: 'video',
      direction: 'recvonly',
      codecs: [DEFAULT_VIDEO_CODECS[0]!],
      ...answer!,
    });
    const text = serializeSdp({ ...parseSdp(CHROME_SIMULCAST_OFFER), media: [section] });
    expect(text).toContain('a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f\r\n');
    expect(receivedRids(parseSdp(text).media[0]!, 'local')).toEqual(['q', 'h', 'f']);
  });

  it('no simulcast in the answer without the rid header extension (streams could not be told apart)', () => {
    expect(simulcastAnswer(offerSection(), [EXT_MID], DEFAULT_VIDEO_CODECS)).toBeUndefined();
  });

  it('no simulcast answered for a section that offers none, or only recv', () => {
    const plain = CHROME_SIMULCAST_OFFER.replace(/a=rid:.*\r\n/g, '').replace(/a=simulcast:.*\r\n/, '');
    expect(simulcastAnswer(offerSection(plain), ALL_URIS, DEFAULT_VIDEO_CODECS)).toBeUndefined();
    const recv = CHROME_SIMULCAST_OFFER.replace(/a=rid:(\w) send/g, 'a=rid:$1 recv').replace(
      'simulcast:send',
      'simulcast:recv',
    );
    expect(simulcastAnswer(offerSection(recv), ALL_URIS, DEFAULT_VIDEO_CODECS)).toBeUndefined();
  });

  it('keeps only declared rids, filters pt= to accepted codecs and drops a rid left without one (RFC 8851 6.1)', () => {
    const text = CHROME_SIMULCAST_OFFER.replace('a=rid:q send', 'a=rid:q send pt=96,120')
      .replace('a=rid:h send', 'a=rid:h send pt=121')
      .replace('a=simulcast:send q;h;f', 'a=simulcast:send q;h;f;~x,f');
    const answer = simulcastAnswer(offerSection(text), ALL_URIS, DEFAULT_VIDEO_CODECS)!;
    expect(answer.rids).toEqual([
      { id: 'q', direction: 'recv', payloadTypes: [96] },
      { id: 'f', direction: 'recv' },
    ]);
    expect(answer.simulcast.recv).toEqual([
      [{ rid: 'q', paused: false }],
      [{ rid: 'f', paused: false }],
      [{ rid: 'f', paused: false }],
    ]);
  });

  it('a remote answer to our receive-simulcast offer names the rids it sends', () => {
    const ours = simulcastReceiveOffer(['lo', 'hi']);
    expect(ours.simulcast.recv).toEqual([[{ rid: 'lo', paused: false }], [{ rid: 'hi', paused: false }]]);
    const answer = CHROME_SIMULCAST_OFFER.replace(/a=rid:.*\r\n/g, '').replace(
      'a=simulcast:send q;h;f',
      'a=rid:lo send\r\na=rid:hi send\r\na=simulcast:send lo;~hi',
    );
    expect(receivedRids(offerSection(answer), 'remote')).toEqual(['lo', 'hi']);
    expect(receivedRids(offerSection(answer), 'local')).toEqual([]);
  });

  it('finds the negotiated rid and repaired-rid extension ids', () => {
    expect(
      ridExtensionIds([
        { id: 10, uri: EXT_RID },
        { id: 11, uri: EXT_REPAIRED_RID },
      ]),
    ).toEqual({ rid: 10, repairedRid: 11 });
    expect(ridExtensionIds([])).toEqual({ rid: undefined, repairedRid: undefined });
  });
});

const IDS = { rid: 10, repairedRid: 11 };

function packet(
  ssrc: number,
  seq: number,
  ext: { id: number; text: string }[] = [],
  pt = 96,
  payload = [1, 2, 3],
) {
  return serializeRtp({
    marker: false,
    payloadType: pt,
    sequenceNumber: seq,
    timestamp: seq * 3000,
    ssrc,
    csrcs: [],
    extension:
      ext.length === 0
        ? undefined
        : serializeExtensionElements(ext.map((e) => ({ id: e.id, data: new TextEncoder().encode(e.text) }))),
    payload: new Uint8Array(payload),
    paddingLength: 0,
  });
}

describe('SimulcastLayerMap (RFC 8852)', () => {
  it('binds media SSRCs by rid and RTX SSRCs by repaired-rid; bindings outlive the extension', () => {
    const map = new SimulcastLayerMap(['q', 'h', 'f'], IDS);
    expect(map.learn(packet(100, 1, [{ id: 10, text: 'q' }]))).toBeUndefined();
    expect(map.learn(packet(200, 1, [{ id: 10, text: 'h' }]))).toBeUndefined();
    expect(map.ridOf(100)).toBe('q');
    expect(map.ridOf(200)).toBe('h');
    expect(map.learn(packet(101, 1, [{ id: 11, text: 'q' }], 97))).toBe(100);
    expect(map.learn(packet(101, 2, [], 97))).toBe(100);
    expect(map.learn(packet(100, 2))).toBeUndefined();
    expect(map.ridOf(100)).toBe('q');
    expect(map.ssrcOf('q')).toBe(100);
    expect(map.rtxSsrcOf('q')).toBe(101);
    expect(map.ssrcOf('f')).toBeUndefined();
  });

  it('a new SSRC for a rid replaces the old one; unknown rids are counted, not bound', () => {
    const map = new SimulcastLayerMap(['q'], IDS);
    map.learn(packet(100, 1, [{ id: 10, text: 'q' }]));
    map.learn(packet(300, 1, [{ id: 10, text: 'q' }]));
    expect(map.ridOf(100)).toBeUndefined();
    expect(map.ridOf(300)).toBe('q');
    map.learn(packet(400, 1, [{ id: 10, text: 'zz' }]));
    expect(map.ridOf(400)).toBeUndefined();
    expect(map.unknownRid).toBe(1);
  });

  it('property: learn never throws on arbitrary bytes and keeps at most 64 bindings', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 200 }), (datagrams) => {
        const map = new SimulcastLayerMap(['a', 'b'], IDS);
        for (const d of datagrams) map.learn(d);
        for (let i = 0; i < 200; i++) map.learn(packet(i, 1, [{ id: 11, text: 'a' }]));
        let bound = 0;
        for (let i = 0; i < 200; i++) if (map.learn(packet(i, 2)) !== undefined || map.ridOf(i)) bound++;
        expect(bound).toBeLessThanOrEqual(64);
      }),
      { numRuns: 50 },
    );
  });
});

describe('RTCRtpReceiver with simulcast layers', () => {
  it('one track per rid (the first is receiver.track), each layer to its own track, unnamed SSRCs dropped', () => {
    const receiver = new RTCRtpReceiver('video');
    receiver.setSimulcast(['q', 'h'], IDS);
    const [q, h] = receiver.tracks;
    expect(q).toBe(receiver.track);
    expect([q!.rid, h!.rid]).toEqual(['q', 'h']);
    expect(receiver.getTrackByRid('h')).toBe(h);
    const got: string[] = [];
    q!.addEventListener('rtp', () => got.push('q'));
    h!.addEventListener('rtp', () => got.push('h'));
    for (const [ssrc, rid] of [
      [1, 'q'],
      [2, 'h'],
    ] as const) {
      const p = packet(ssrc, 1, [{ id: 10, text: rid }]);
      receiver.learn(p);
      receiver.receive(p);
    }
    const stray = packet(3, 1);
    receiver.learn(stray);
    expect(receiver.receive(stray)).toBe(false);
    expect(got).toEqual(['q', 'h']);
    expect(receiver.unroutedPackets).toBe(1);
    expect(receiver.getSimulcastLayers().map((l) => [l.rid, l.ssrc])).toEqual([
      ['q', 1],
      ['h', 2],
    ]);
    // The same rids again (renegotiation) keep the tracks; none turns simulcast off.
    receiver.setSimulcast(['q', 'h'], IDS);
    expect(receiver.tracks[1]).toBe(h);
    receiver.setSimulcast([], IDS);
    expect(receiver.tracks).toEqual([receiver.track]);
    expect(receiver.track.rid).toBeUndefined();
  });

  it('a receiver track starts muted and its first packet unmutes it (W3C webrtc-pc 5.3); so do layer tracks', () => {
    const receiver = new RTCRtpReceiver('video');
    expect(receiver.track.muted).toBe(true);
    let unmutes = 0;
    receiver.track.onunmute = () => unmutes++;
    receiver.receive(packet(5, 1));
    receiver.receive(packet(5, 2));
    expect(receiver.track.muted).toBe(false);
    expect(unmutes).toBe(1);
    receiver.setSimulcast(['a', 'b'], IDS);
    expect(receiver.getTrackByRid('b')!.muted).toBe(true);
    receiver.remoteStoppedSending();
    expect(receiver.tracks.map((t) => t.muted)).toEqual([true, true]);
  });

  it('an RTCP BYE mutes the layer it names; the next packet unmutes it', () => {
    const receiver = new RTCRtpReceiver('video');
    receiver.setSimulcast(['q', 'h'], IDS);
    const h = receiver.getTrackByRid('h')!;
    const events: string[] = [];
    h.onmute = () => events.push('mute');
    h.onunmute = () => events.push('unmute');
    const p = packet(2, 1, [{ id: 10, text: 'h' }]);
    receiver.learn(p);
    receiver.receive(p);
    receiver.remoteBye(2);
    expect(h.muted).toBe(true);
    // Layer q never received anything: still muted since creation; the BYE for h sent no event.
    const qEvents: string[] = [];
    receiver.track.onunmute = () => qEvents.push('unmute');
    expect(receiver.track.muted).toBe(true);
    receiver.receive(packet(2, 2));
    expect(h.muted).toBe(false);
    expect(events).toEqual(['unmute', 'mute', 'unmute']);
    expect(qEvents).toEqual([]);
  });
});
