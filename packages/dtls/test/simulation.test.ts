import { type LinkConfig, SimNetwork, type SimSocket } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import type { DtlsConnection } from '../src/index.js';
import { cert, drainEvents, makePair } from './helpers.js';

interface Wired {
  net: SimNetwork;
  client: DtlsConnection;
  server: DtlsConnection;
  clientSends: number[];
  sendFromClient: (data: Buffer) => void;
}

/** Puts a client on 10.0.0.1 and a server on 10.0.0.2; `clientLink` impairs both directions at the client. */
function wire(seed: number, clientLink: LinkConfig, mtu: number, keyType: 'ecdsa' | 'rsa' = 'ecdsa'): Wired {
  const net = new SimNetwork({ seed, startTime: 0 });
  const { client, server } = makePair(
    { mtu, certificate: cert(keyType, 0) },
    { mtu, certificate: cert(keyType, 1), peerAddress: '10.0.0.1|5000' },
  );
  const hc = net.addHost({ address: '10.0.0.1', uplink: clientLink, downlink: clientLink });
  const hs = net.addHost({ address: '10.0.0.2', uplink: { delayMs: 10 }, downlink: { delayMs: 10 } });
  const clientSends: number[] = [];
  const flush = (c: DtlsConnection, sock: SimSocket, to: { host: string; port: number }) => {
    for (let d = c.poll(); d; d = c.poll()) {
      if (c === client) clientSends.push(net.now);
      sock.send(d, to);
    }
  };
  const toServer = { host: '10.0.0.2', port: 6000 };
  const toClient = { host: '10.0.0.1', port: 5000 };
  const cs: SimSocket = hc.bind(
    (d, now) => {
      client.handle(d.data, now);
      flush(client, cs, toServer);
    },
    { port: 5000 },
  );
  const ss: SimSocket = hs.bind(
    (d, now) => {
      server.handle(d.data, now);
      flush(server, ss, toClient);
    },
    { port: 6000 },
  );
  net.addTimerNode({
    nextDeadline: () => client.nextDeadline(),
    handleTimeout: (now) => {
      client.handleTimeout(now);
      flush(client, cs, toServer);
    },
  });
  net.addTimerNode({
    nextDeadline: () => server.nextDeadline(),
    handleTimeout: (now) => {
      server.handleTimeout(now);
      flush(server, ss, toClient);
    },
  });
  client.start(net.now);
  server.start(net.now);
  flush(client, cs, toServer);
  const sendFromClient = (data: Buffer) => {
    client.send(data);
    flush(client, cs, toServer);
  };
  return { net, client, server, clientSends, sendFromClient };
}

const bothConnected = (w: Wired) => () => w.client.state === 'connected' && w.server.state === 'connected';

describe('handshake over the simulated network', () => {
  it('completes under 30% loss, reordering, duplication and a 576-byte MTU (20 seeds)', () => {
    const link: LinkConfig = { delayMs: 25, jitterMs: 15, loss: 0.3, reorder: 0.2, duplicate: 0.1, mtu: 576 };
    let retransmissions = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const w = wire(seed, link, 576);
      const ok = w.net.runUntil(bothConnected(w), { timeoutMs: 600_000 });
      expect(ok, `seed ${seed}`).toBe(true);
      expect(w.client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60)).toEqual(
        w.server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60),
      );
      retransmissions += w.client.stats.retransmissions + w.server.stats.retransmissions;
    }
    expect(retransmissions).toBeGreaterThan(0);
  });

  it('fragments an RSA certificate flight to a 576-byte MTU without loss', () => {
    const w = wire(3, { mtu: 576, delayMs: 5 }, 576, 'rsa');
    expect(w.net.runUntil(bothConnected(w), { timeoutMs: 10_000 })).toBe(true);
    expect(w.client.stats.retransmissions).toBe(0);
    expect(w.server.stats.retransmissions).toBe(0);
  });

  it('retransmits with exponential backoff (RFC 6347 4.2.4.1) and gives up with a typed error', () => {
    const w = wire(1, { loss: 1 }, 1200);
    w.net.runUntil(() => w.client.state === 'failed', { timeoutMs: 2_000_000 });
    const gaps = w.clientSends.slice(1).map((t, i) => t - w.clientSends[i]!);
    expect(gaps[0]).toBe(1000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBe(Math.min(gaps[i - 1]! * 2, 60_000));
    expect(gaps.length).toBe(10);
    const err = drainEvents(w.client).find((e) => e.type === 'error');
    expect(err).toMatchObject({ error: { reason: 'handshake-timeout' } });
  });

  it('delivers application data at most once despite link duplication (anti-replay)', () => {
    const w = wire(7, { delayMs: 20, loss: 0.3, duplicate: 0.5, mtu: 576 }, 576);
    expect(w.net.runUntil(bothConnected(w), { timeoutMs: 600_000 })).toBe(true);
    drainEvents(w.server);
    for (let i = 0; i < 200; i++) w.sendFromClient(Buffer.from(`m${i}`));
    w.net.runFor(1000);
    const received = drainEvents(w.server).flatMap((e) => (e.type === 'data' ? [e.data.toString()] : []));
    expect(received.length).toBeGreaterThan(100);
    expect(received.length).toBeLessThan(200);
    expect(new Set(received).size).toBe(received.length);
    expect(w.server.stats.replaysDropped).toBeGreaterThan(0);
  });
});
