import { afterEach, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RtpHeader, RtpPacket, RTCPeerConnection as WeriftPeerConnection } from 'werift';
import { RTCPeerConnection, type RtpPacketEvent } from '../../src/index.js';
import { LOOPBACK, nextChannel, waitFor, within } from '../helpers/peers.js';
import { completeLocalDescription, weriftConnected } from '../helpers/werift.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function ufrags(sdp: string): string[] {
  return [...sdp.matchAll(/a=ice-ufrag:(\S+)/g)].map((m) => m[1]!);
}

describe('werift offering without BUNDLE (its bundlePolicy "disable")', () => {
  it('purertc answers with a transport per section: RTP and the data channel both arrive', async () => {
    const ours = new RTCPeerConnection(LOOPBACK);
    const theirs = new WeriftPeerConnection({
      bundlePolicy: 'disable',
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
    });
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
    );
    const track = new MediaStreamTrack({ kind: 'video' });
    theirs.addTransceiver(track, { direction: 'sendonly' });
    const dc = theirs.createDataChannel('unbundled');
    const incoming = nextChannel(ours);
    const payloads: string[] = [];
    const rtpArrived = new Promise<void>((resolve) => {
      ours.ontrack = (e) =>
        e.track.addEventListener('rtp', (ev) => {
          payloads.push(Buffer.from((ev as RtpPacketEvent).packet.payload).toString());
          if (payloads.length === 5) resolve();
        });
    });
    await theirs.setLocalDescription(await theirs.createOffer());
    const offer = theirs.localDescription!.sdp;
    expect(offer).not.toContain('a=group:BUNDLE');
    // werift's two transports share one ufrag but gather on separate sockets.
    const offered = [...offer.matchAll(/ 127\.0\.0\.1 (\d+) typ host/g)].map((m) => m[1]);
    expect(new Set(offered).size).toBe(2);
    await ours.setRemoteDescription({ type: 'offer', sdp: offer });
    await ours.setLocalDescription(await ours.createAnswer());
    const answer = await completeLocalDescription(ours);
    // RFC 9143 7.3: nothing bundled that was not offered bundled; one transport per section.
    expect(answer.sdp).not.toContain('a=group:BUNDLE');
    expect(new Set(ufrags(answer.sdp)).size).toBe(2);
    const ports = [...answer.sdp.matchAll(/^m=\S+ (\d+) /gm)].map((m) => m[1]);
    expect(new Set(ports).size).toBe(2);
    await theirs.setRemoteDescription(answer);
    await within(
      waitFor(ours, 'connectionstatechange', () => ours.connectionState === 'connected'),
      15_000,
      'connected',
    );
    const mine = await within(incoming, 15_000, 'datachannel');
    const message = new Promise<string>((resolve) =>
      mine.addEventListener('message', (e) => resolve(String((e as MessageEvent).data))),
    );
    await within(
      new Promise<void>((resolve) =>
        dc.readyState === 'open' ? resolve() : dc.stateChanged.subscribe((s) => s === 'open' && resolve()),
      ),
      15_000,
      'werift channel open',
    );
    dc.send('over the data section transport');
    expect(await within(message, 5000, 'message')).toBe('over the data section transport');
    await weriftConnected(theirs);
    for (let i = 0; i < 5; i++) {
      track.writeRtp(
        new RtpPacket(
          new RtpHeader({ payloadType: 96, sequenceNumber: 100 + i, timestamp: i * 3000, marker: true }),
          Buffer.from(`frame ${i}`),
        ),
      );
    }
    await within(rtpArrived, 10_000, 'RTP over the video section transport');
    expect(payloads).toEqual(['frame 0', 'frame 1', 'frame 2', 'frame 3', 'frame 4']);
  });
});
