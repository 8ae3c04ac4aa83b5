import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { type RTCDataChannel, RTCPeerConnection, type RtpPacketEvent, RtpTrack } from '../../src/index.js';
import { SimDriver } from './sim-driver.js';
import { impairedPair, negotiateOnSim, runUntil } from './sim-run.js';

const withoutBundle = (sdp: string): string => sdp.replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');

describe('unbundled transports over test/sim: 10% loss, 100 ms RTT, NAT on one side', () => {
  for (const seed of [1, 2]) {
    it(`an offer without BUNDLE: audio and data each get a transport, both connect (seed ${seed})`, async () => {
      const { net, a, b } = impairedPair(seed, { bundlePolicy: 'max-compat' });
      try {
        const audio = new RtpTrack('audio');
        const sender = a.addTrack(audio);
        const ch = a.createDataChannel('data');
        let remote: RTCDataChannel | undefined;
        b.ondatachannel = (e) => {
          remote = e.channel;
        };
        const received: number[] = [];
        b.ontrack = (e) =>
          e.track.addEventListener('rtp', (ev) =>
            received.push((ev as RtpPacketEvent).packet.sequenceNumber),
          );
        // b sees the offer as a peer without BUNDLE support would send it.
        const { answer } = await negotiateOnSim(net, a, b, withoutBundle);
        expect(answer).not.toContain('a=group:BUNDLE');
        // Two transports on b: two ufrags and two host ports.
        expect(new Set([...answer.matchAll(/a=ice-ufrag:(\S+)/g)].map((m) => m[1])).size).toBe(2);
        expect(new Set([...answer.matchAll(/ 198\.51\.100\.7 (\d+) typ host/g)].map((m) => m[1])).size).toBe(
          2,
        );
        expect(
          await runUntil(net, () => ch.readyState === 'open' && remote?.readyState === 'open', 30_000),
        ).toBe(true);
        expect(
          await runUntil(
            net,
            () => a.connectionState === 'connected' && b.connectionState === 'connected',
            30_000,
          ),
        ).toBe(true);
        const pt = sender.getParameters().codecs[0]!.payloadType;
        // 10% loss on the audio transport: NACK/RTX is not negotiated for audio, so count what came.
        for (let i = 0; i < 50; i++) {
          audio.writeRtp({
            marker: false,
            payloadType: pt,
            sequenceNumber: i,
            timestamp: i * 960,
            ssrc: 1,
            csrcs: [],
            extension: undefined,
            payload: Buffer.from([i]),
            paddingLength: 0,
          });
          net.runFor(20);
        }
        expect(await runUntil(net, () => received.length >= 35, 5000)).toBe(true);
        const back: string[] = [];
        ch.onmessage = (e) => back.push(e.data as string);
        for (let i = 0; i < 10; i++) remote!.send(`reply ${i}`);
        expect(await runUntil(net, () => back.length === 10, 30_000)).toBe(true);
      } finally {
        a.close();
        b.close();
      }
    }, 60_000);
  }

  it('one of two transports vanishing fails the whole connection (W3C 4.3.2 / 4.3.3 aggregation)', async () => {
    const net = new SimNetwork({ seed: 5 });
    const link = { delayMs: 10 };
    const hostA = net.addHost({ address: '10.0.0.1', uplink: link, downlink: link });
    const hostB = net.addHost({ address: '10.0.0.2', uplink: link, downlink: link });
    const forksOfB: SimDriver[] = [];
    class TrackingDriver extends SimDriver {
      override fork(): SimDriver {
        const f = super.fork() as SimDriver;
        forksOfB.push(f);
        return f;
      }
    }
    const a = new RTCPeerConnection({ driver: new SimDriver(net, hostA), bundlePolicy: 'max-compat' });
    const b = new RTCPeerConnection({ driver: new TrackingDriver(net, hostB) });
    try {
      a.addTransceiver('audio');
      const ch = a.createDataChannel('data');
      await negotiateOnSim(net, a, b, withoutBundle);
      expect(
        await runUntil(net, () => ch.readyState === 'open' && a.connectionState === 'connected', 30_000),
      ).toBe(true);
      const states: string[] = [];
      a.onconnectionstatechange = () => states.push(a.connectionState);
      // b's second transport (the data section's) goes silent; its audio transport lives on.
      expect(forksOfB).toHaveLength(1);
      forksOfB[0]!.close();
      expect(await runUntil(net, () => a.connectionState === 'failed', 60_000)).toBe(true);
      expect(states).toEqual(['disconnected', 'failed']);
      expect(a.iceConnectionState).toBe('failed');
      const transports = [...(await a.getStats()).values()].filter((x) => x.type === 'transport');
      expect(transports.map((x) => x.iceState).sort()).toEqual(['completed', 'failed']);
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);
});
