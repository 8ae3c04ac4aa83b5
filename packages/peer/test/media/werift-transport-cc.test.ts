import { afterEach, describe, expect, it } from 'vitest';
import {
  MediaStreamTrack,
  RtpHeader,
  RtpPacket,
  type TransportWideCC,
  useNACK,
  usePLI,
  useSdesMid,
  useTransportWideCC,
  useTWCC,
  useVP8,
  RTCPeerConnection as WeriftPeerConnection,
} from 'werift';
import { RTCPeerConnection } from '../../src/index.js';
import { LOOPBACK, waitFor, within } from '../helpers/peers.js';
import { completeLocalDescription, weriftConnected } from '../helpers/werift.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('transport-cc feedback to werift 0.25.2 over loopback', () => {
  it("werift sends with transport-wide sequence numbers; its sender's estimator receives our feedback", async () => {
    const ours = new RTCPeerConnection(LOOPBACK);
    const theirs = new WeriftPeerConnection({
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      codecs: { video: [useVP8({ rtcpFeedback: [useNACK(), usePLI(), useTWCC()] })] },
      headerExtensions: { video: [useSdesMid(), useTransportWideCC()] },
    });
    let pump: NodeJS.Timeout | undefined;
    cleanups.push(
      () => ours.close(),
      () => theirs.close(),
      () => clearInterval(pump),
    );
    const track = new MediaStreamTrack({ kind: 'video' });
    const sender = theirs.addTransceiver(track, { direction: 'sendonly' }).sender;
    const feedback: TransportWideCC[] = [];
    const bwe = sender.senderBWE;
    const original = bwe.receiveTWCC.bind(bwe);
    bwe.receiveTWCC = (fb: TransportWideCC) => {
      feedback.push(fb);
      original(fb);
    };
    await theirs.setLocalDescription(await theirs.createOffer());
    await ours.setRemoteDescription({ type: 'offer', sdp: theirs.localDescription!.sdp });
    await ours.setLocalDescription(await ours.createAnswer());
    const answer = await completeLocalDescription(ours);
    expect(answer.sdp).toMatch(/a=rtcp-fb:\d+ transport-cc/);
    expect(answer.sdp).toContain('draft-holmer-rmcat-transport-wide-cc-extensions-01');
    await theirs.setRemoteDescription(answer);
    await within(
      waitFor(ours, 'connectionstatechange', () => ours.connectionState === 'connected'),
      15_000,
      'connected',
    );
    await weriftConnected(theirs);
    let seq = 0;
    pump = setInterval(() => {
      for (let i = 0; i < 5; i++, seq++) {
        const header = new RtpHeader({
          payloadType: 96,
          sequenceNumber: seq,
          timestamp: seq * 600,
          marker: true,
        });
        track.writeRtp(new RtpPacket(header, Buffer.alloc(600, seq & 0xff)));
      }
    }, 10);
    await within(
      new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          const received = feedback.flatMap((f) => f.packetResults.filter((r) => r.received));
          if (received.length >= 50 && bwe.availableBitrate > 0) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
        cleanups.push(() => clearInterval(poll));
      }),
      15_000,
      "50 packets acknowledged in transport-cc feedback and werift's estimate",
    );
    // werift's estimator turned our arrival times into a receive rate.
    expect(bwe.availableBitrate).toBeGreaterThan(0);
    console.log(`werift's estimate from our transport-cc feedback: ${bwe.availableBitrate} bps`);
    const first = feedback[0]!;
    expect(first.mediaSourceSsrc).toBe(sender.ssrc);
    // Each message continues where the previous one stopped, counted by fbPktCount.
    for (let i = 1; i < feedback.length; i++) {
      expect(feedback[i]!.fbPktCount).toBe((feedback[i - 1]!.fbPktCount + 1) & 0xff);
    }
  }, 40_000);
});
