import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getAttribute,
  getCodecs,
  getDirection,
  getMid,
  parseSdp,
  RTCPeerConnection,
} from '../../src/index.js';
import { LOOPBACK } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

function chrome(name: string): string {
  return readFileSync(new URL(`../sdp/fixtures/${name}`, import.meta.url), 'latin1');
}

describe("answering Chrome 156's real offers", () => {
  it('audio + video + data: every section accepted, codecs and BUNDLE as offered', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const tracks: string[] = [];
    pc.ontrack = (e) => tracks.push(e.track.kind);
    const offer = chrome('chrome-offer-av-data.sdp');
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    const offered = parseSdp(offer);
    const parsed = parseSdp(answer.sdp!);
    expect(parsed.media.map((m) => m.kind)).toEqual(offered.media.map((m) => m.kind));
    expect(parsed.media.map(getMid)).toEqual(offered.media.map(getMid));
    for (const [i, m] of parsed.media.entries()) {
      expect(m.port, `section ${i}`).not.toBe(0);
      expect(getAttribute(m, 'setup')?.role).toBe('active');
      if (m.kind === 'application') {
        expect(getAttribute(m, 'max-message-size')?.size).toBe(262144);
        continue;
      }
      const offeredCodecs = getCodecs(offered.media[i]!);
      const codecs = getCodecs(m);
      expect(codecs.length).toBeGreaterThan(0);
      // Answer payload types are the offer's (RFC 3264 6.1).
      for (const c of codecs)
        expect(offeredCodecs.some((o) => o.payloadType === c.payloadType && o.name === c.name)).toBe(true);
      expect(getDirection(m)).toBe('recvonly');
    }
    expect(tracks.sort()).toEqual(['audio', 'video']);
    expect(pc.signalingState).toBe('stable');
    expect(pc.getTransceivers().map((t) => t.currentDirection)).toEqual(['recvonly', 'recvonly']);
  });

  it('data only offer and a Chrome answer to our offer are accepted', async () => {
    const answerer = new RTCPeerConnection(LOOPBACK);
    open.push(answerer);
    await answerer.setRemoteDescription({ type: 'offer', sdp: chrome('chrome-offer-data.sdp') });
    const answer = parseSdp((await answerer.createAnswer()).sdp!);
    expect(answer.media).toHaveLength(1);
    expect(getAttribute(answer.media[0]!, 'sctp-port')?.port).toBe(5000);

    const offerer = new RTCPeerConnection(LOOPBACK);
    open.push(offerer);
    offerer.createDataChannel('x');
    await offerer.setLocalDescription(await offerer.createOffer());
    await offerer.setRemoteDescription({ type: 'answer', sdp: chrome('chrome-answer-data.sdp') });
    expect(offerer.signalingState).toBe('stable');
    expect(offerer.sctp?.maxMessageSize).toBe(262144);
  });
});
