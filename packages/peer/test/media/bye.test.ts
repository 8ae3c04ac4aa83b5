import type { RtpPacket } from '@purertc/srtp';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RTCTrackEvent, RtpTrack } from '../../src/index.js';
import { LOOPBACK, negotiate, trickle, waitFor, within } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

function packet(seq: number, payloadType: number): RtpPacket {
  return {
    marker: false,
    payloadType,
    sequenceNumber: seq,
    timestamp: seq * 3000,
    ssrc: 1,
    csrcs: [],
    extension: undefined,
    payload: new Uint8Array([seq & 0xff]),
    paddingLength: 0,
  };
}

/** a sends video to b; resolves once b's track got a packet. */
async function sending() {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  open.push(a, b);
  trickle(a, b);
  const track = new RtpTrack('video');
  const sender = a.addTrack(track);
  let remote: RTCTrackEvent | undefined;
  b.ontrack = (e) => {
    remote = e;
  };
  await negotiate(a, b);
  await within(
    waitFor(a, 'connectionstatechange', () => a.connectionState === 'connected'),
    5000,
    'a connected',
  );
  const remoteTrack = remote!.track;
  const first = new Promise<void>((resolve) =>
    remoteTrack.addEventListener('rtp', () => resolve(), { once: true }),
  );
  track.writeRtp(packet(1, sender.getParameters().codecs[0]!.payloadType));
  await within(first, 5000, 'first packet');
  return { a, b, track, sender, remoteTrack };
}

describe('RTCP BYE between two purertc peers (RFC 3550 6.6)', () => {
  it("stopping the sender's transceiver sends BYE; the receiving track is muted, not ended", async () => {
    const { a, remoteTrack } = await sending();
    const muted = new Promise<void>((resolve) => {
      remoteTrack.onmute = () => resolve();
    });
    expect(remoteTrack.muted).toBe(false);
    a.getTransceivers()[0]!.stop();
    await within(muted, 5000, 'mute after BYE');
    expect(remoteTrack.muted).toBe(true);
    expect(remoteTrack.readyState).toBe('live');
  });

  it('closing the sending connection says BYE before the transport goes', async () => {
    const { a, remoteTrack } = await sending();
    const muted = new Promise<void>((resolve) => remoteTrack.addEventListener('mute', () => resolve()));
    a.close();
    await within(muted, 5000, 'mute after close');
    expect(remoteTrack.muted).toBe(true);
  });

  it('a BYE-muted track unmutes when media flows again after renegotiating back to sending', async () => {
    const { a, b, track, sender, remoteTrack } = await sending();
    const t = a.getTransceivers()[0]!;
    t.direction = 'inactive';
    const muted = new Promise<void>((resolve) => remoteTrack.addEventListener('mute', () => resolve()));
    await negotiate(a, b);
    await within(muted, 5000, 'mute after the direction went inactive');
    t.direction = 'sendonly';
    await negotiate(a, b);
    const unmuted = new Promise<void>((resolve) => remoteTrack.addEventListener('unmute', () => resolve()));
    track.writeRtp(packet(2, sender.getParameters().codecs[0]!.payloadType));
    await within(unmuted, 5000, 'unmute on media');
    expect(remoteTrack.muted).toBe(false);
  });
});
