import { type Coturn, coturnInstalled, startCoturn } from '@purertc/test/coturn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeIceEvent, NodeIceTransport } from '../../src/index.js';

function waitFor(t: NodeIceTransport, check: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const off = t.on((_e: NodeIceEvent) => {
      if (check()) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

describe.skipIf(!coturnInstalled())('interop with coturn over loopback', () => {
  let coturn: Coturn;
  beforeAll(async () => {
    coturn = await startCoturn({ tcp: true, tls: true, ipv6: true, relayPorts: [50000, 59999] });
  });
  afterAll(async () => {
    await coturn?.stop();
  });

  it('learns the mapped address from coturn as a STUN server', async () => {
    const t = new NodeIceTransport({
      controlling: true,
      addresses: ['127.0.0.1'],
      stunServers: [{ host: '127.0.0.1', port: coturn.port }],
    });
    try {
      await t.gather();
      const host = t.agent.localCandidateList.find((c) => c.type === 'host')!;
      expect(t.stunAnswers).toHaveLength(1);
      // Over loopback there is no NAT: the mapped address is the socket itself (so no srflx candidate).
      expect(t.stunAnswers[0]!.mapped).toEqual({ address: '127.0.0.1', port: host.port });
      expect(t.agent.localCandidateList.some((c) => c.type === 'srflx')).toBe(false);
    } finally {
      t.close();
    }
  });

  it('learns an IPv6 mapped address and allocates an IPv6 relay (REQUESTED-ADDRESS-FAMILY)', async (ctx) => {
    if (!coturn.ipv6) ctx.skip();
    const t = new NodeIceTransport({
      controlling: true,
      addresses: ['::1'],
      stunServers: [{ host: '::1', port: coturn.port }],
      turnServers: [
        { host: '::1', port: coturn.port, username: coturn.username, password: coturn.password, family: 6 },
      ],
    });
    try {
      await t.gather();
      const host = t.agent.localCandidateList.find((c) => c.type === 'host')!;
      expect(t.stunAnswers[0]?.mapped).toEqual({ address: '::1', port: host.port });
      const relay = t.agent.localCandidateList.find((c) => c.type === 'relay');
      expect(relay?.address).toBe('::1');
    } finally {
      t.close();
    }
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`allocates a relay over ${transport.toUpperCase()} with long-term credentials`, async () => {
      const t = new NodeIceTransport({
        controlling: true,
        addresses: ['127.0.0.1'],
        relayOnly: true,
        turnServers: [
          {
            host: '127.0.0.1',
            port: coturn.port,
            username: coturn.username,
            password: coturn.password,
            transport,
          },
        ],
      });
      try {
        await t.gather();
        const relay = t.agent.localCandidateList.find((c) => c.type === 'relay');
        expect(relay).toBeDefined();
        expect(relay!.address).toBe('127.0.0.1');
        expect(relay!.port).toBeGreaterThanOrEqual(50000);
        expect(relay!.port).toBeLessThanOrEqual(59999);
      } finally {
        t.close();
      }
    });
  }

  it('allocates a relay over TLS (self-signed certificate, verified against it)', async (ctx) => {
    if (coturn.tlsPort === undefined) ctx.skip();
    const t = new NodeIceTransport({
      controlling: true,
      addresses: ['127.0.0.1'],
      relayOnly: true,
      turnServers: [
        {
          host: '127.0.0.1',
          port: coturn.tlsPort!,
          username: coturn.username,
          password: coturn.password,
          transport: 'tls',
          ca: coturn.certificate!,
        },
      ],
    });
    try {
      await t.gather();
      expect(t.agent.localCandidateList.find((c) => c.type === 'relay')?.address).toBe('127.0.0.1');
    } finally {
      t.close();
    }
  });

  it('connects two relay-only agents through coturn and exchanges data', async () => {
    const turn = (transport: 'udp' | 'tcp') => ({
      host: '127.0.0.1',
      port: coturn.port,
      username: coturn.username,
      password: coturn.password,
      transport,
    });
    const a = new NodeIceTransport({
      controlling: true,
      addresses: ['127.0.0.1'],
      relayOnly: true,
      turnServers: [turn('udp')],
    });
    const b = new NodeIceTransport({
      controlling: false,
      addresses: ['127.0.0.1'],
      relayOnly: true,
      turnServers: [turn('tcp')],
    });
    try {
      const gotA: Buffer[] = [];
      const gotB: Buffer[] = [];
      a.on((e) => e.type === 'data' && gotA.push(e.data));
      b.on((e) => e.type === 'data' && gotB.push(e.data));
      await Promise.all([a.gather(), b.gather()]);
      a.setRemoteCredentials(b.localCredentials);
      b.setRemoteCredentials(a.localCredentials);
      for (const c of b.agent.localCandidateList) a.addRemoteCandidate({ ...c });
      for (const c of a.agent.localCandidateList) b.addRemoteCandidate({ ...c });
      a.endOfRemoteCandidates();
      b.endOfRemoteCandidates();
      const up = (t: NodeIceTransport) => t.state === 'connected' || t.state === 'completed';
      await Promise.all([
        waitFor(a, () => up(a), 15_000, 'a connected'),
        waitFor(b, () => up(b), 15_000, 'b connected'),
      ]);
      expect(a.selectedPair?.local.type).toBe('relay');
      expect(b.selectedPair?.local.type).toBe('relay');
      a.send(Buffer.from([0x80, 1, 2]));
      await waitFor(b, () => gotB.length > 0, 5000, 'data at b');
      b.send(Buffer.from([0x80, 3, 4]));
      await waitFor(a, () => gotA.length > 0, 5000, 'data at a');
      expect(gotB[0]).toEqual(Buffer.from([0x80, 1, 2]));
      expect(gotA[0]).toEqual(Buffer.from([0x80, 3, 4]));
    } finally {
      a.close();
      b.close();
    }
  });
});
