import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RTCStats, RtpTrack } from '../../src/index.js';
import { SimDriver } from '../sim/sim-driver.js';
import { negotiateOnSim, runUntil } from '../sim/sim-run.js';

function find(stats: ReadonlyMap<string, RTCStats>, type: string): RTCStats | undefined {
  return [...stats.values()].find((s) => s.type === type);
}

describe('receive-only RTT over test/sim (RFC 3611 RRTR/DLRR between two purertc peers)', () => {
  it('the receiving side measures the 100 ms round trip from DLRR without sending any media', async () => {
    const net = new SimNetwork({ seed: 5 });
    const link = { delayMs: 25 };
    const a = new RTCPeerConnection({
      driver: new SimDriver(net, net.addHost({ address: '192.0.2.10', uplink: link, downlink: link })),
    });
    const b = new RTCPeerConnection({
      driver: new SimDriver(net, net.addHost({ address: '198.51.100.7', uplink: link, downlink: link })),
    });
    try {
      const track = new RtpTrack('video');
      const sender = a.addTransceiver(track, { direction: 'sendonly' }).sender;
      await negotiateOnSim(net, a, b);
      expect(
        await runUntil(
          net,
          () => a.connectionState === 'connected' && b.connectionState === 'connected',
          30_000,
        ),
      ).toBe(true);
      expect(b.getTransceivers()[0]!.currentDirection).toBe('recvonly');
      const pt = sender.getParameters().codecs[0]!.payloadType;
      let seq = 0;
      const write = () =>
        track.writeRtp({
          marker: true,
          payloadType: pt,
          sequenceNumber: seq,
          timestamp: seq++ * 3000,
          ssrc: 1,
          csrcs: [],
          extension: undefined,
          payload: Buffer.from('x'),
          paddingLength: 0,
        });
      let remoteOutbound: RTCStats | undefined;
      let polls = 0;
      const measured = await runUntil(
        net,
        () => Number(remoteOutbound?.roundTripTimeMeasurements ?? 0) > 1,
        10_000,
        () => {
          write();
          if (polls++ % 50 === 0) {
            void b.getStats().then((s) => {
              remoteOutbound = find(s, 'remote-outbound-rtp');
            });
          }
        },
      );
      expect(measured).toBe(true);
      const rtt = Number(remoteOutbound!.roundTripTime);
      expect(rtt).toBeGreaterThan(0.095);
      expect(rtt).toBeLessThan(0.13);
      expect(b.getSenders()[0]!.packetsSent).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);
});
