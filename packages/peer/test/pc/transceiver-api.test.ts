import { afterEach, describe, expect, it } from 'vitest';
import { getCodecs, getRtpCapabilities, parseSdp, RTCPeerConnection, RtpTrack } from '../../src/index.js';
import { LOOPBACK } from '../helpers/peers.js';

const open: RTCPeerConnection[] = [];
afterEach(() => {
  for (const pc of open.splice(0)) pc.close();
});

describe('RTCRtpTransceiver / RTCRtpSender API', () => {
  it('setCodecPreferences orders and limits the offered codecs', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const t = pc.addTransceiver('video');
    const caps = getRtpCapabilities('video')!.codecs;
    const h264 = caps.find((c) => c.mimeType === 'video/H264')!;
    const rtx = caps.filter((c) => c.mimeType === 'video/rtx');
    t.setCodecPreferences([h264, ...rtx]);
    const offer = parseSdp((await pc.createOffer()).sdp!);
    const names = getCodecs(offer.media[0]!).map((c) => c.name);
    expect(names[0]).toBe('H264');
    expect(names).not.toContain('VP8');
    expect(() => t.setCodecPreferences([{ mimeType: 'video/AV2', clockRate: 90000 }])).toThrowError(
      expect.objectContaining({ name: 'InvalidModificationError' }),
    );
  });

  it('offers carry msid, ssrc and ssrc-group FID for a sending video transceiver', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const track = new RtpTrack('video');
    const sender = pc.addTrack(track);
    const sdp = (await pc.createOffer()).sdp!;
    expect(sdp).toContain(`a=msid:- ${track.id}`);
    expect(sdp).toContain(`a=ssrc-group:FID ${sender.ssrc} ${sender.rtxSsrc}`);
    expect(sdp).toContain(`a=ssrc:${sender.ssrc} cname:`);
    for (const uri of [
      'urn:ietf:params:rtp-hdrext:sdes:mid',
      'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    ]) {
      expect(sdp).toContain(uri);
    }
    expect(sdp).toMatch(/a=rtpmap:\d+ rtx\/90000/);
    expect(sdp).toMatch(/a=rtcp-fb:96 nack pli/);
  });

  it('replaceTrack, getParameters and setParameters follow W3C 5.2', async () => {
    const pc = new RTCPeerConnection(LOOPBACK);
    open.push(pc);
    const sender = pc.addTrack(new RtpTrack('audio'));
    await expect(sender.replaceTrack(new RtpTrack('video'))).rejects.toBeInstanceOf(TypeError);
    const other = new RtpTrack('audio');
    await sender.replaceTrack(other);
    expect(sender.track).toBe(other);
    const params = sender.getParameters();
    expect(params.encodings[0]!.ssrc).toBe(sender.ssrc);
    params.encodings[0]!.active = false;
    await sender.setParameters(params);
    expect(sender.getParameters().encodings[0]!.active).toBe(false);
    await expect(sender.setParameters(params)).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});
