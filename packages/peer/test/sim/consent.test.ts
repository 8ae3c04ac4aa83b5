import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { RTCPeerConnection } from '../../src/index.js';
import { SimDriver } from './sim-driver.js';
import { negotiateOnSim, runUntil } from './sim-run.js';

describe('a peer that vanishes without closing (test/sim)', () => {
  it('goes disconnected, then failed, as W3C and RFC 7675 consent freshness say', async () => {
    const net = new SimNetwork({ seed: 3 });
    // Links need some delay: over zero-delay links two ICE agents exchange checks forever at
    // one virtual instant (reported to the ice package).
    const hostA = net.addHost({
      address: '198.51.100.1',
      uplink: { delayMs: 10 },
      downlink: { delayMs: 10 },
    });
    const hostB = net.addHost({
      address: '198.51.100.2',
      uplink: { delayMs: 10 },
      downlink: { delayMs: 10 },
    });
    const a = new RTCPeerConnection({ driver: new SimDriver(net, hostA) });
    const b = new RTCPeerConnection({ driver: new SimDriver(net, hostB) });
    try {
      const ice: string[] = [];
      const conn: string[] = [];
      a.oniceconnectionstatechange = () => ice.push(a.iceConnectionState);
      a.onconnectionstatechange = () => conn.push(a.connectionState);
      a.createDataChannel('x');
      await negotiateOnSim(net, a, b);
      expect(await runUntil(net, () => a.connectionState === 'connected', 10_000, undefined, 50)).toBe(true);
      const cutAt = net.now;
      // b's network goes dark: nothing in, nothing out.
      hostB.uplink.config = { loss: 1 };
      hostB.downlink.config = { loss: 1 };
      expect(await runUntil(net, () => a.connectionState === 'disconnected', 20_000, undefined, 50)).toBe(
        true,
      );
      expect(a.iceConnectionState).toBe('disconnected');
      expect(await runUntil(net, () => a.connectionState === 'failed', 60_000, undefined, 50)).toBe(true);
      expect(a.iceConnectionState).toBe('failed');
      // RFC 7675 5.1: consent expires 30 s after the last response.
      expect(net.now - cutAt).toBeGreaterThanOrEqual(25_000);
      expect(ice.slice(-2)).toEqual(['disconnected', 'failed']);
      expect(conn.slice(-3)).toEqual(['connected', 'disconnected', 'failed']);
    } finally {
      a.close();
      b.close();
    }
  }, 30_000);
});
