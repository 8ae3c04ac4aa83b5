import { afterEach, describe, expect, it } from 'vitest';
import {
  MediaStreamTrack,
  RtpHeader,
  RtpPacket,
  type RTCPeerConnection as WeriftPeerConnection,
} from 'werift';
import { RTCPeerConnection, type RtpPacketEvent, RtpTrack } from '../../src/index.js';
import { LOOPBACK, waitFor, within } from '../helpers/peers.js';
import { completeLocalDescription, weriftConnected, weriftPeer } from '../helpers/werift.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FRAMES = Array.from({ length: 20 }, (_, i) => Buffer.from(`video frame ${i} `.repeat(1 + (i % 5))));

describe('RTP between purertc and werift over loopback', () => {
  it('purertc offers and sends: werift receives the payloads', async () => {
    const ours = new RTCPeerConnection(LOOPBACK);
    const theirs: WeriftPeerConnection = weriftPeer();
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
    );
    const track = new RtpTrack('video');
    const sender = ours.addTransceiver(track, { direction: 'sendonly' }).sender;
    const got: Buffer[] = [];
    const all = new Promise<void>((resolve) => {
      theirs.onTrack.subscribe((t) =>
        t.onReceiveRtp.subscribe((rtp) => {
          got.push(Buffer.from(rtp.payload));
          if (got.length === FRAMES.length) resolve();
        }),
      );
    });
    await ours.setLocalDescription(await ours.createOffer());
    await theirs.setRemoteDescription(await completeLocalDescription(ours));
    await theirs.setLocalDescription(await theirs.createAnswer());
    await ours.setRemoteDescription({ type: 'answer', sdp: theirs.localDescription!.sdp });
    await within(
      waitFor(ours, 'connectionstatechange', () => ours.connectionState === 'connected'),
      15_000,
      'connected',
    );
    const pt = sender.getParameters().codecs[0]!.payloadType;
    for (const [i, payload] of FRAMES.entries()) {
      track.writeRtp({
        marker: true,
        payloadType: pt,
        sequenceNumber: 100 + i,
        timestamp: i * 3000,
        ssrc: 0,
        csrcs: [],
        extension: undefined,
        payload,
        paddingLength: 0,
      });
    }
    await within(all, 10_000, 'RTP at werift');
    expect(got.map((b) => b.toString())).toEqual(FRAMES.map((b) => b.toString()));
  });

  it('werift offers and sends: purertc answers and its receiver track gets the payloads', async () => {
    const ours = new RTCPeerConnection(LOOPBACK);
    const theirs: WeriftPeerConnection = weriftPeer();
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
    );
    const track = new MediaStreamTrack({ kind: 'video' });
    theirs.addTransceiver(track, { direction: 'sendonly' });
    const got: Buffer[] = [];
    let ssrcs = new Set<number>();
    const all = new Promise<void>((resolve) => {
      ours.ontrack = (e) =>
        e.track.addEventListener('rtp', (ev) => {
          const p = (ev as RtpPacketEvent).packet;
          got.push(Buffer.from(p.payload));
          ssrcs = new Set([...ssrcs, p.ssrc]);
          if (got.length === FRAMES.length) resolve();
        });
    });
    await theirs.setLocalDescription(await theirs.createOffer());
    await ours.setRemoteDescription({ type: 'offer', sdp: theirs.localDescription!.sdp });
    expect(ours.getTransceivers()[0]!.kind).toBe('video');
    await ours.setLocalDescription(await ours.createAnswer());
    await theirs.setRemoteDescription(await completeLocalDescription(ours));
    expect(ours.getTransceivers()[0]!.currentDirection).toBe('recvonly');
    await within(
      waitFor(ours, 'connectionstatechange', () => ours.connectionState === 'connected'),
      15_000,
      'connected',
    );
    await weriftConnected(theirs);
    FRAMES.forEach((payload, i) => {
      const header = new RtpHeader({
        payloadType: 96,
        sequenceNumber: 500 + i,
        timestamp: i * 3000,
        marker: true,
      });
      track.writeRtp(new RtpPacket(header, payload));
    });
    await within(all, 10_000, 'RTP at purertc');
    expect(got.map((b) => b.toString())).toEqual(FRAMES.map((b) => b.toString()));
    expect(ssrcs.size).toBe(1);
  });
});
