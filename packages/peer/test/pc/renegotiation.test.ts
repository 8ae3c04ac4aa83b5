import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RTCTrackEvent, RtpTrack } from '../../src/index.js';
import {
  channelOpen,
  LOOPBACK,
  negotiate,
  nextChannel,
  nextMessage,
  trickle,
  within,
} from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

async function connected(): Promise<[RTCPeerConnection, RTCPeerConnection]> {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  open.push(a, b);
  trickle(a, b);
  const ch = a.createDataChannel('first');
  await negotiate(a, b);
  await within(channelOpen(ch), 10_000, 'first channel');
  return [a, b];
}

describe('renegotiation', () => {
  it('the first answerer can offer next; DTLS roles and the channel survive', async () => {
    const [a, b] = await connected();
    const track = new RtpTrack('audio');
    b.addTrack(track);
    const gotTrack = new Promise<RTCTrackEvent>((r) => {
      a.ontrack = r;
    });
    await negotiate(b, a);
    expect((await within(gotTrack, 5000, 'track at a')).track.kind).toBe('audio');
    expect(b.getTransceivers()[0]!.currentDirection).toBe('sendonly');
    // The data section keeps its position and both keep their DTLS roles (RFC 8842 5.5).
    expect(/a=setup:(\w+)/.exec(a.localDescription!.sdp)![1]).toBe('passive');
    const ch = a.createDataChannel('after');
    const atB = await within(nextChannel(b, 'after'), 5000, 'channel at b');
    await channelOpen(ch);
    const got = nextMessage(atB);
    ch.send('ok');
    expect(await within(got, 5000, 'message')).toBe('ok');
  });

  it('glare: the polite peer rolls back implicitly and answers', async () => {
    const [a, b] = await connected();
    a.addTransceiver('video');
    b.addTransceiver('audio');
    const offerA = await a.createOffer();
    await a.setLocalDescription(offerA);
    const offerB = await b.createOffer();
    await b.setLocalDescription(offerB);
    expect(b.signalingState).toBe('have-local-offer');
    // b is polite: applying a's offer rolls its own back first (W3C 4.4.1.5).
    await b.setRemoteDescription(offerA);
    expect(b.signalingState).toBe('have-remote-offer');
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    expect(a.signalingState).toBe('stable');
    expect(b.signalingState).toBe('stable');
    // b's own audio transceiver still needs negotiating: it offers now.
    await negotiate(b, a);
    const kinds = a.getTransceivers().map((t) => `${t.kind}:${t.currentDirection}`);
    expect(kinds).toContain('video:sendonly');
    expect(kinds).toContain('audio:recvonly');
  });

  it('negotiationneeded fires for a new channel, a new transceiver and restartIce, not when stable and idle', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    let count = 0;
    pc.onnegotiationneeded = () => count++;
    pc.createDataChannel('x');
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(count).toBe(1);
    pc.createDataChannel('y');
    await new Promise((r) => setImmediate(r));
    expect(count).toBe(1);
  });

  it('stopping a transceiver rejects its section on both sides; a new one gets a new section', async () => {
    const [a, b] = await connected();
    const t = a.addTransceiver('audio');
    await negotiate(a, b);
    const mid = t.mid;
    expect(mid).not.toBeNull();
    t.stop();
    expect(t.stopped).toBe(true);
    await negotiate(a, b);
    expect(t.currentDirection).toBe('stopped');
    const remote = b.getTransceivers().find((x) => x.mid === mid)!;
    expect(remote.stopped).toBe(true);
    expect(remote.receiver.track.readyState).toBe('ended');
    expect(a.localDescription!.sdp).toMatch(/m=audio 0 /);
    const again = a.addTransceiver('video');
    await negotiate(a, b);
    expect(again.mid).not.toBe(mid);
    expect(again.currentDirection).toBe('sendonly');
    expect(a.connectionState).toBe('connected');
  });
});
