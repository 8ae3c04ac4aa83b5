import { describe, expect, it } from 'vitest';
import type { Datagram, SimAddress } from './address.js';
import type { NatBehavior } from './nat.js';
import { type SimHost, SimNetwork, type SimSocket, type SimTimerNode } from './network.js';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** A sans-I/O style pinger: sends `ping <n>` every `intervalMs` until `count`, records replies. */
class Pinger implements SimTimerNode {
  readonly replies: { n: number; at: number }[] = [];
  socket!: SimSocket;
  private sent = 0;
  private next = 0;

  constructor(
    private readonly to: SimAddress,
    private readonly count: number,
    private readonly intervalMs: number,
  ) {}

  attach(host: SimHost, port = 0): this {
    this.socket = host.bind((d, now) => this.receive(d, now), { port });
    return this;
  }

  nextDeadline(): number | undefined {
    return this.sent < this.count ? this.next : undefined;
  }

  handleTimeout(now: number): void {
    this.socket.send(text(`ping ${this.sent}`), this.to);
    this.sent++;
    this.next = now + this.intervalMs;
  }

  private receive(d: Datagram, now: number): void {
    this.replies.push({ n: Number(str(d.data).split(' ')[1]), at: now });
  }
}

/** Echoes every datagram back to whatever source address it observed. */
function echoServer(host: SimHost, port: number, observed: SimAddress[] = []): SimSocket {
  const socket: SimSocket = host.bind(
    (d) => {
      observed.push(d.from);
      socket.send(text(str(d.data).replace('ping', 'pong')), d.from);
    },
    { port },
  );
  return socket;
}

describe('SimNetwork', () => {
  it('applies each direction of each link separately', () => {
    const net = new SimNetwork();
    const a = net.addHost({ address: '1.0.0.1', uplink: { delayMs: 10 }, downlink: { delayMs: 1 } });
    const b = net.addHost({ address: '1.0.0.2', uplink: { delayMs: 100 }, downlink: { delayMs: 5 } });
    const arrivals: { who: string; at: number }[] = [];
    const sa = a.bind((_d, now) => arrivals.push({ who: 'a', at: now }));
    const sb = b.bind((_d, now) => arrivals.push({ who: 'b', at: now }));
    sa.send(text('x'), sb.address); // 10 (a up) + 5 (b down)
    sb.send(text('y'), sa.address); // 100 (b up) + 1 (a down)
    net.runUntilIdle();
    expect(arrivals).toEqual([
      { who: 'b', at: 15 },
      { who: 'a', at: 101 },
    ]);
  });

  it('drives timer nodes on the virtual clock: a simulated minute takes no real time', () => {
    const net = new SimNetwork();
    const server = net.addHost({ address: '1.0.0.1' });
    const client = net.addHost({ address: '1.0.0.2', uplink: { delayMs: 20 }, downlink: { delayMs: 20 } });
    echoServer(server, 7);
    const pinger = new Pinger({ host: '1.0.0.1', port: 7 }, 60, 1000).attach(client);
    net.addTimerNode(pinger);
    const started = performance.now();
    net.runFor(60_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(pinger.replies).toHaveLength(60);
    // ping n leaves at n s and comes back after 40 ms of link delay
    expect(pinger.replies).toEqual(Array.from({ length: 60 }, (_, i) => ({ n: i, at: i * 1000 + 40 })));
    expect(net.now).toBe(60_000);
  });

  it('gives the same trace for the same seed and a different one for another seed', () => {
    const trace = (seed: number) => {
      const net = new SimNetwork({ seed });
      const impaired = { delayMs: 30, jitterMs: 20, loss: 0.2, duplicate: 0.05, reorder: 0.1 };
      const server = net.addHost({ address: '1.0.0.1', downlink: impaired, uplink: impaired });
      const client = net.addHost({ address: '1.0.0.2' });
      echoServer(server, 7);
      const pinger = new Pinger({ host: '1.0.0.1', port: 7 }, 200, 5).attach(client);
      net.addTimerNode(pinger);
      net.runUntilIdle();
      return pinger.replies.map((r) => `${r.n}@${r.at.toFixed(3)}`).join(',');
    };
    expect(trace(11)).toBe(trace(11));
    expect(trace(11)).not.toBe(trace(12));
  });

  it('counts datagrams to unknown addresses and closed ports', () => {
    const net = new SimNetwork();
    const a = net.addHost({ address: '1.0.0.1' });
    net.addHost({ address: '1.0.0.2' });
    const s = a.bind(() => {});
    s.send(text('x'), { host: '9.9.9.9', port: 1 });
    s.send(text('y'), { host: '1.0.0.2', port: 1 });
    net.runUntilIdle();
    expect(net.stats).toEqual({ unroutable: 1, noSocket: 1 });
  });

  it('runUntil stops at its condition or its virtual timeout', () => {
    const net = new SimNetwork();
    const server = net.addHost({ address: '1.0.0.1' });
    const client = net.addHost({ address: '1.0.0.2' });
    echoServer(server, 7);
    const pinger = new Pinger({ host: '1.0.0.1', port: 7 }, 1000, 100).attach(client);
    net.addTimerNode(pinger);
    expect(net.runUntil(() => pinger.replies.length >= 3)).toBe(true);
    expect(pinger.replies).toHaveLength(3);
    expect(net.runUntil(() => false, { timeoutMs: 1000 })).toBe(false);
    expect(net.now).toBe(200 + 1000);
  });
});

describe('two endpoints through NATs', () => {
  it('exchange datagrams through a symmetric NAT, which shows a new port to each destination', () => {
    const net = new SimNetwork({ seed: 3 });
    const nat = net.addNat({
      publicAddress: '203.0.113.1',
      mapping: 'address-and-port-dependent',
      filtering: 'address-and-port-dependent',
    });
    const inside = net.addHost({ address: '192.168.0.2', behind: nat, uplink: { delayMs: 5 } });
    const serverA = net.addHost({ address: '198.51.100.1', downlink: { delayMs: 15 } });
    const serverB = net.addHost({ address: '198.51.100.2' });
    const seenA: SimAddress[] = [];
    const seenB: SimAddress[] = [];
    echoServer(serverA, 3478, seenA);
    echoServer(serverB, 3478, seenB);
    const toA = new Pinger({ host: '198.51.100.1', port: 3478 }, 10, 50).attach(inside, 5000);
    net.addTimerNode(toA);
    net.runUntilIdle();
    expect(toA.replies.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    toA.socket.send(text('ping 99'), { host: '198.51.100.2', port: 3478 });
    net.runUntilIdle();
    expect(seenA[0]!.host).toBe('203.0.113.1');
    expect(new Set(seenA.map((a) => a.port)).size).toBe(1);
    expect(seenB[0]!.port).not.toBe(seenA[0]!.port);
    expect(toA.replies.at(-1)!.n).toBe(99);
  });

  // Each peer learns its public address from a server, the peers swap those addresses and punch
  // holes towards each other (what ICE does with server-reflexive candidates).
  function holePunch(mapping: NatBehavior, filtering: NatBehavior): boolean {
    const net = new SimNetwork({ seed: 4 });
    const server = net.addHost({ address: '198.51.100.1' });
    const observed: SimAddress[] = [];
    echoServer(server, 3478, observed);
    const peers = ['a', 'b'].map((name, i) => {
      const nat = net.addNat({ publicAddress: `203.0.113.${i + 1}`, mapping, filtering });
      const host = net.addHost({ address: '192.168.0.2', behind: nat });
      const got: string[] = [];
      const socket = host.bind((d) => got.push(str(d.data)), { port: 5000 });
      return { name, socket, got };
    });
    for (const p of peers) p.socket.send(text('ping 0'), { host: '198.51.100.1', port: 3478 });
    net.runUntilIdle();
    const [a, b] = peers as [(typeof peers)[0], (typeof peers)[0]];
    const [aPublic, bPublic] = observed as [SimAddress, SimAddress];
    for (let round = 0; round < 3; round++) {
      a.socket.send(text(`from-a ${round}`), bPublic);
      b.socket.send(text(`from-b ${round}`), aPublic);
      net.runFor(100);
    }
    return a.got.some((m) => m.startsWith('from-b')) && b.got.some((m) => m.startsWith('from-a'));
  }

  it('can hole-punch between two endpoint-independent NATs', () => {
    expect(holePunch('endpoint-independent', 'address-and-port-dependent')).toBe(true);
  });

  it('cannot hole-punch between two symmetric NATs (a relay is needed)', () => {
    expect(holePunch('address-and-port-dependent', 'address-and-port-dependent')).toBe(false);
  });

  it('carries traffic through nested NATs (carrier-grade NAT in front of a home NAT)', () => {
    const net = new SimNetwork();
    const cgn = net.addNat({
      publicAddress: '203.0.113.50',
      mapping: 'endpoint-independent',
      filtering: 'endpoint-independent',
    });
    const home = net.addNat({
      publicAddress: '100.64.0.7',
      behind: cgn,
      mapping: 'endpoint-independent',
      filtering: 'address-dependent',
    });
    const inside = net.addHost({ address: '192.168.1.2', behind: home });
    const server = net.addHost({ address: '198.51.100.1' });
    const observed: SimAddress[] = [];
    echoServer(server, 7, observed);
    const pinger = new Pinger({ host: '198.51.100.1', port: 7 }, 3, 10).attach(inside);
    net.addTimerNode(pinger);
    net.runUntilIdle();
    expect(observed[0]!.host).toBe('203.0.113.50');
    expect(pinger.replies).toHaveLength(3);
  });
});
