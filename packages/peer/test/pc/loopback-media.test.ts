import { parseExtensionElements, type RtpPacket } from '@purertc/srtp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MediaStream,
  RTCPeerConnection,
  type RTCTrackEvent,
  type RtpPacketEvent,
  RtpTrack,
} from '../../src/index.js';
import { LOOPBACK, negotiate, trickle, waitFor, within } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

function packet(seq: number, payloadType: number, payload: Uint8Array): RtpPacket {
  return {
    marker: false,
    payloadType,
    sequenceNumber: seq,
    timestamp: seq * 3000,
    ssrc: 1234,
    csrcs: [],
    extension: undefined,
    payload,
    paddingLength: 0,
  };
}

describe('RTP media between two purertc peers over loopback', () => {
  it('packets written to a sender track arrive at the remote track with the sender SSRC', async () => {
    const a = new RTCPeerConnection(LOOPBACK);
    const b = new RTCPeerConnection(LOOPBACK);
    open.push(a, b);
    trickle(a, b);
    const video = new RtpTrack('video');
    const audio = new RtpTrack('audio');
    const stream = new MediaStream([video, audio]);
    const videoSender = a.addTrack(video, stream);
    a.addTrack(audio, stream);
    const tracks: RTCTrackEvent[] = [];
    b.ontrack = (e) => tracks.push(e);
    await negotiate(a, b);
    expect(tracks.map((t) => t.track.kind).sort()).toEqual(['audio', 'video']);
    expect(tracks[0]!.streams[0]!.id).toBe(stream.id);
    await waitFor(a, 'connectionstatechange', () => a.connectionState === 'connected');
    await waitFor(b, 'connectionstatechange', () => b.connectionState === 'connected');

    const remoteVideo = tracks.find((t) => t.track.kind === 'video')!;
    const received: { ssrc: number; seq: number; payload: string; pt: number }[] = [];
    const all = new Promise<void>((resolve) => {
      remoteVideo.track.addEventListener('rtp', (e) => {
        const p = (e as RtpPacketEvent).packet;
        received.push({
          ssrc: p.ssrc,
          seq: p.sequenceNumber,
          payload: Buffer.from(p.payload).toString(),
          pt: p.payloadType,
        });
        if (received.length === 10) resolve();
      });
    });
    const pt = videoSender.getParameters().codecs[0]!.payloadType;
    for (let i = 0; i < 10; i++) video.writeRtp(packet(i, pt, Buffer.from(`frame ${i}`)));
    await within(all, 5000, '10 RTP packets');
    expect(received.map((r) => r.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `frame ${i}`));
    expect(new Set(received.map((r) => r.ssrc))).toEqual(new Set([videoSender.ssrc]));
    expect(received[0]!.pt).toBe(pt);

    const stats = await a.getStats();
    const outbound = [...stats.values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video');
    expect(outbound?.packetsSent).toBe(10);
    const inbound = [...(await b.getStats()).values()].find(
      (s) => s.type === 'inbound-rtp' && s.kind === 'video',
    );
    expect(inbound?.packetsReceived).toBe(10);
  });

  it('removeTrack stops sending after renegotiation', async () => {
    const a = new RTCPeerConnection(LOOPBACK);
    const b = new RTCPeerConnection(LOOPBACK);
    open.push(a, b);
    trickle(a, b);
    const track = new RtpTrack('audio');
    const sender = a.addTrack(track);
    await negotiate(a, b);
    // b has nothing to send, so its transceiver (made by the offer) answers recvonly.
    expect(a.getTransceivers()[0]!.currentDirection).toBe('sendonly');
    a.removeTrack(sender);
    expect(sender.track).toBeNull();
    expect(a.getTransceivers()[0]!.direction).toBe('recvonly');
    await negotiate(a, b);
    expect(a.getTransceivers()[0]!.currentDirection).toBe('inactive');
    expect(b.getTransceivers()[0]!.currentDirection).toBe('inactive');
  });

  it('without signalled SSRCs the receiver routes by the MID header extension the sender adds', async () => {
    const a = new RTCPeerConnection(LOOPBACK);
    const b = new RTCPeerConnection(LOOPBACK);
    open.push(a, b);
    trickle(a, b);
    const track = new RtpTrack('video');
    const sender = a.addTrack(track);
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    // RFC 9143 9.2: a receiver must cope with a sender whose SSRCs it was not told.
    const stripped = offer.sdp!.replace(/^a=ssrc(-group)?:.*\r\n/gm, '');
    expect(stripped).not.toContain('a=ssrc');
    const got = new Promise<RtpPacketEvent>((resolve) => {
      b.ontrack = (e) =>
        e.track.addEventListener('rtp', (ev) => resolve(ev as RtpPacketEvent), { once: true });
    });
    await b.setRemoteDescription({ type: 'offer', sdp: stripped });
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    await waitFor(a, 'connectionstatechange', () => a.connectionState === 'connected');
    const pt = sender.getParameters().codecs[0]!.payloadType;
    track.writeRtp(packet(1, pt, Buffer.from('routed by mid')));
    const e = await within(got, 5000, 'packet routed by MID');
    expect(Buffer.from(e.packet.payload).toString()).toBe('routed by mid');
    const midId = sender.getParameters().headerExtensions.find((x) => x.uri.endsWith('sdes:mid'))!.id;
    const ext = e.packet.extension!;
    const elements = parseExtensionElements(ext.profile, ext.data)!;
    expect(Buffer.from(elements.find((x) => x.id === midId)!.data).toString()).toBe(
      a.getTransceivers()[0]!.mid,
    );
  });
});
