import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DtlsClient, type DtlsEvent, DtlsUdpDriver, DtlsUdpServer } from '../src/index.js';
import { cert, drainDatagrams, NOW } from './helpers.js';
import { waitUntil } from './interop-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('DtlsUdpServer: many clients on one socket', () => {
  it('answers a ClientHello flood from many ports without creating connections', async () => {
    const server = await DtlsUdpServer.listen({
      certificate: cert('ecdsa', 1),
      expectedFingerprints: () => [],
      onEvent: () => {},
    });
    cleanups.push(() => server.close());
    const sockets: Socket[] = [];
    let replies = 0;
    for (let i = 0; i < 40; i++) {
      const s = createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      s.on('message', () => replies++);
      sockets.push(s);
      cleanups.push(() => s.close());
    }
    const client = new DtlsClient({ certificate: cert('ecdsa', 0), remoteFingerprints: [] });
    client.start(NOW);
    const hello = drainDatagrams(client)[0]!;
    for (const s of sockets) for (let k = 0; k < 5; k++) s.send(hello, server.port, '127.0.0.1');
    await waitUntil(() => replies === 200, 8000, 'HelloVerifyRequests');
    expect(server.connectionCount).toBe(0);
  });

  it('serves several real clients at once, each checked against its own fingerprint', async () => {
    const clientCerts = [cert('ecdsa', 0), cert('ecdsa', 2), cert('rsa', 0)];
    const byPort = new Map<number, number>();
    const serverEvents: DtlsEvent[] = [];
    const server = await DtlsUdpServer.listen({
      certificate: cert('ecdsa', 1),
      retransmit: { initialMs: 200 },
      expectedFingerprints: (peer) => clientCerts[byPort.get(peer.port)!]!.getFingerprints(),
      onEvent: (peer, e) => {
        serverEvents.push(e);
        if (e.type === 'data') server.send(peer, Buffer.concat([Buffer.from('echo:'), e.data]));
      },
    });
    cleanups.push(() => server.close());
    const received: string[] = [];
    const drivers = await Promise.all(
      clientCerts.map(async (c, i) => {
        const events: DtlsEvent[] = [];
        const d = await DtlsUdpDriver.open(
          new DtlsClient({
            certificate: c,
            remoteFingerprints: cert('ecdsa', 1).getFingerprints(),
            retransmit: { initialMs: 200 },
          }),
          {
            remote: { address: '127.0.0.1', port: server.port },
            onEvent: (e) => {
              events.push(e);
              if (e.type === 'connected') d.send(Buffer.from(`client${i}`));
              if (e.type === 'data') received.push(e.data.toString());
            },
          },
        );
        byPort.set(d.port, i);
        cleanups.push(() => d.close());
        return d;
      }),
    );
    for (const d of drivers) d.start();
    await waitUntil(() => received.length === 3, 10_000, 'three echoes');
    expect(received.sort()).toEqual(['echo:client0', 'echo:client1', 'echo:client2']);
    expect(server.connectionCount).toBe(3);
    expect(serverEvents.filter((e) => e.type === 'connected').length).toBe(3);
  });
});

describe('DtlsUdpServer: a client that restarts on the same port (RFC 6347 4.2.8)', () => {
  it('gets a new connection after proving reachability with a cookie; the old one is reported closed', async () => {
    const events: Array<{ port: number; e: DtlsEvent }> = [];
    const server = await DtlsUdpServer.listen({
      certificate: cert('ecdsa', 1),
      retransmit: { initialMs: 200 },
      expectedFingerprints: () => cert('ecdsa', 0).getFingerprints(),
      onEvent: (peer, e) => events.push({ port: peer.port, e }),
    });
    cleanups.push(() => server.close());
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    cleanups.push(() => sock.close());
    let current: DtlsClient | undefined;
    const flush = () => {
      for (let d = current!.poll(); d; d = current!.poll()) sock.send(d, server.port, '127.0.0.1');
    };
    sock.on('message', (m) => {
      current!.handle(m, performance.now());
      flush();
    });
    const connectOnce = async () => {
      current = new DtlsClient({
        certificate: cert('ecdsa', 0),
        remoteFingerprints: cert('ecdsa', 1).getFingerprints(),
      });
      current.start(performance.now());
      flush();
      const c = current;
      await waitUntil(() => c.state === 'connected', 8000, 'client connected');
    };
    await connectOnce();
    const first = server.connection({ address: '127.0.0.1', port: sock.address().port });
    await connectOnce();
    const second = server.connection({ address: '127.0.0.1', port: sock.address().port });
    await waitUntil(() => second?.state === 'connected', 8000, 'server side of the restart');
    expect(second).not.toBe(first);
    expect(server.connectionCount).toBe(1);
    expect(events.map((x) => x.e.type)).toEqual(['connected', 'closed', 'connected']);
  });
});
