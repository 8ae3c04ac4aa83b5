import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import {
  type KeyFrameRequestEvent,
  RTCPeerConnection,
  type RTCStats,
  type RtpPacketEvent,
  RtpTrack,
} from '../../src/index.js';
import { SimDriver } from './sim-driver.js';
import { negotiateOnSim, runUntil } from './sim-run.js';

function lossyPair(seed: number) {
  const net = new SimNetwork({ seed });
  // 10% loss on each uplink, 25 ms per link: a 100 ms round trip.
  const lossy = { delayMs: 25, loss: 0.1 };
  const clean = { delayMs: 25 };
  const hostA = net.addHost({ address: '192.0.2.10', uplink: lossy, downlink: clean });
  const hostB = net.addHost({ address: '198.51.100.7', uplink: lossy, downlink: clean });
  const a = new RTCPeerConnection({ driver: new SimDriver(net, hostA) });
  const b = new RTCPeerConnection({ driver: new SimDriver(net, hostB) });
  return { net, a, b };
}

function find(stats: ReadonlyMap<string, RTCStats>, type: string): RTCStats | undefined {
  return [...stats.values()].find((s) => s.type === type);
}

describe('RTCP between two purertc peers over test/sim (10% loss each way, 100 ms RTT)', () => {
  for (const seed of [7, 11, 23]) {
    it(`NACK + RTX repair every gap, SR/RR give remote-inbound-rtp RTT, PLI reaches the sender (seed ${seed})`, async () => {
      const { net, a, b } = lossyPair(seed);
      try {
        const track = new RtpTrack('video');
        const sender = a.addTrack(track);
        const seen = new Set<number>();
        let remoteTrack: RtpTrack | undefined;
        b.ontrack = (e) => {
          remoteTrack = e.track;
          e.track.addEventListener('rtp', (ev) => seen.add((ev as RtpPacketEvent).packet.sequenceNumber));
        };
        await negotiateOnSim(net, a, b);
        expect(
          await runUntil(
            net,
            () => a.connectionState === 'connected' && b.connectionState === 'connected',
            30_000,
          ),
        ).toBe(true);
        expect(remoteTrack).toBeDefined();
        const params = sender.getParameters();
        expect(params.encodings[0]!.rtx).toBeDefined();
        const pt = params.codecs[0]!.payloadType;

        const total = 300;
        let next = 0;
        const write = () => {
          if (next >= total) return;
          track.writeRtp({
            marker: true,
            payloadType: pt,
            sequenceNumber: next,
            timestamp: next * 3000,
            ssrc: 1,
            csrcs: [],
            extension: undefined,
            payload: Buffer.from(`frame ${next}`),
            paddingLength: 0,
          });
          next++;
        };
        // One packet per 10 ms of virtual time, then time for the last repairs.
        await runUntil(net, () => next >= total, 10_000, write);
        await runUntil(net, () => false, 3000);

        const bStats = await b.getStats();
        const inbound = find(bStats, 'inbound-rtp')!;
        const highest = Math.max(...seen);
        // Tail losses after the last packet that got through are undetectable; everything up to it
        // must have been repaired.
        expect(highest).toBeGreaterThan(total - 20);
        expect(seen.size).toBe(highest + 1);
        expect(inbound.packetsLost).toBe(0);
        expect(inbound.nackCount as number).toBeGreaterThan(0);
        expect(inbound.packetsReceived).toBe(highest + 1);
        const remoteOutbound = find(bStats, 'remote-outbound-rtp')!;
        expect(remoteOutbound.localId).toBe(inbound.id);
        expect(inbound.remoteId).toBe(remoteOutbound.id);
        expect(remoteOutbound.packetsSent as number).toBeGreaterThan(0);
        expect(remoteOutbound.packetsSent as number).toBeLessThanOrEqual(total);

        const aStats = await a.getStats();
        const outbound = find(aStats, 'outbound-rtp')!;
        expect(outbound.retransmittedPacketsSent as number).toBeGreaterThan(0);
        expect(outbound.nackCount as number).toBeGreaterThan(0);
        const remoteInbound = find(aStats, 'remote-inbound-rtp')!;
        expect(remoteInbound).toBeDefined();
        expect(remoteInbound.localId).toBe(outbound.id);
        const rtt = remoteInbound.roundTripTime as number;
        expect(rtt).toBeGreaterThan(0.09);
        expect(rtt).toBeLessThan(0.25);
        expect(remoteInbound.roundTripTimeMeasurements as number).toBeGreaterThan(0);

        // PLI: the receiver asks (again every 200 ms: the request itself may be lost).
        const requests: KeyFrameRequestEvent[] = [];
        let trackRequests = 0;
        sender.addEventListener('keyframerequest', (e) => requests.push(e as KeyFrameRequestEvent));
        track.addEventListener('keyframerequest', () => trackRequests++);
        let tick = 0;
        const receiver = b.getReceivers()[0]!;
        expect(
          await runUntil(
            net,
            () => requests.length > 0,
            3000,
            () => {
              if (tick++ % 20 === 0) expect(receiver.requestKeyFrame()).toBe(true);
            },
          ),
        ).toBe(true);
        expect(requests[0]!.method).toBe('pli');
        expect(trackRequests).toBe(requests.length);
        expect(find(await a.getStats(), 'outbound-rtp')!.pliCount as number).toBeGreaterThan(0);
        expect(find(await b.getStats(), 'inbound-rtp')!.pliCount as number).toBeGreaterThan(0);
      } finally {
        a.close();
        b.close();
      }
    }, 60_000);
  }
});
