import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { StunMethod, TurnClient } from '../src/index.js';
import { SimIceEndpoint, signal } from './support/sim-agent.js';
import { SimTurnServer } from './support/turn-server.js';

function wire(
  net: SimNetwork,
  address: string,
  server: SimTurnServer,
  client: TurnClient,
  onData?: (d: Buffer) => void,
) {
  const host = net.addHost({ address, uplink: { delayMs: 10 } });
  const socket = host.bind((d, now) => {
    client.handleIncoming(d.data, now);
    pump();
  });
  const pump = () => {
    for (let b = client.pollTransmit(); b; b = client.pollTransmit()) socket.send(b, server.address);
    for (let e = client.pollEvent(); e; e = client.pollEvent()) if (e.type === 'data') onData?.(e.data);
  };
  net.addTimerNode({
    nextDeadline: () => client.nextDeadline(),
    handleTimeout: (now) => {
      client.handleTimeout(now);
      pump();
    },
  });
  return { host, pump };
}

describe('TURN client (RFC 8656) against a simulated TURN server', () => {
  it('allocates with long-term credentials after a 401, retries a 438, refreshes before expiry', () => {
    const net = new SimNetwork({ seed: 1 });
    const server = new SimTurnServer(net, '192.0.2.50');
    server.lifetime = 120;
    const client = new TurnClient({ username: 'user', password: 'pass' });
    const { pump } = wire(net, '198.51.100.1', server, client);
    client.start(net.now);
    pump();
    expect(net.runUntil(() => client.state === 'allocated', { timeoutMs: 5000 })).toBe(true);
    expect(server.requests.map((r) => r.authenticated)).toEqual([false, true]);
    expect(client.relayedAddress?.address).toBe('192.0.2.50');
    expect(client.mappedAddress).toEqual({ address: '198.51.100.1', port: expect.any(Number) });

    server.staleNonceOnce = 'nonce-2';
    net.runFor(125_000);
    const refreshes = server.requests.filter((r) => r.method === StunMethod.Refresh);
    // Refreshed at 60 s (half of a 120 s lifetime), got 438, retried with the new nonce, then again.
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    expect(client.state).toBe('allocated');
    expect(server.allocations.size).toBe(1);
  });

  it('follows 300 Try Alternate to the ALTERNATE-SERVER', () => {
    const net = new SimNetwork({ seed: 6 });
    const first = new SimTurnServer(net, '192.0.2.50');
    const second = new SimTurnServer(net, '192.0.2.51');
    first.redirectTo = second.address;
    const client = new TurnClient({ username: 'user', password: 'pass' });
    let target = first.address;
    const host = net.addHost({ address: '198.51.100.1', uplink: { delayMs: 10 } });
    const pump = () => {
      for (let e = client.pollEvent(); e; e = client.pollEvent()) {
        if (e.type === 'redirect') {
          target = { host: e.server.address, port: e.server.port };
          client.start(net.now);
        }
      }
      for (let b = client.pollTransmit(); b; b = client.pollTransmit()) socket.send(b, target);
    };
    const socket = host.bind((d, now) => {
      client.handleIncoming(d.data, now);
      pump();
    });
    net.addTimerNode({
      nextDeadline: () => client.nextDeadline(),
      handleTimeout: (now) => {
        client.handleTimeout(now);
        pump();
      },
    });
    client.start(net.now);
    pump();
    expect(net.runUntil(() => client.state === 'allocated', { timeoutMs: 5000 })).toBe(true);
    expect(client.relayedAddress?.address).toBe('192.0.2.51');
    expect(second.allocations.size).toBe(1);
    expect(first.allocations.size).toBe(0);
  });

  it('fails the allocation with wrong credentials', () => {
    const net = new SimNetwork({ seed: 2 });
    const server = new SimTurnServer(net, '192.0.2.50');
    const client = new TurnClient({ username: 'user', password: 'wrong' });
    const { pump } = wire(net, '198.51.100.1', server, client);
    client.start(net.now);
    pump();
    net.runUntil(() => client.state === 'failed', { timeoutMs: 5000 });
    expect(client.state).toBe('failed');
  });

  it('relays data through a channel after ChannelBind, and through Send/Data indications without channels', () => {
    for (const useChannels of [true, false]) {
      const net = new SimNetwork({ seed: 3 });
      const server = new SimTurnServer(net, '192.0.2.50');
      const client = new TurnClient({ username: 'user', password: 'pass', useChannels });
      const got: Buffer[] = [];
      const { pump } = wire(net, '198.51.100.1', server, client, (d) => got.push(d));
      client.start(net.now);
      pump();
      net.runUntil(() => client.state === 'allocated', { timeoutMs: 5000 });
      const peerHost = net.addHost({ address: '198.51.100.9' });
      const echoed: Buffer[] = [];
      const peer = peerHost.bind(
        (d) => {
          echoed.push(Buffer.from(d.data));
          peer.send(d.data, d.from);
        },
        { port: 9000 },
      );
      // The first send sets up the permission/channel; send again once it is in place.
      client.send({ address: '198.51.100.9', port: 9000 }, Buffer.from('one'), net.now);
      pump();
      net.runFor(500);
      client.send({ address: '198.51.100.9', port: 9000 }, Buffer.from('two'), net.now);
      pump();
      net.runFor(500);
      expect(echoed.map(String)).toContain('two');
      expect(got.map(String)).toContain('two');
      const methods = server.requests.map((r) => r.method);
      expect(methods).toContain(useChannels ? StunMethod.ChannelBind : StunMethod.CreatePermission);
    }
  });
});

describe('ICE through symmetric NATs on both sides via a TURN relay', () => {
  it('connects relay-only and exchanges data', () => {
    const net = new SimNetwork({ seed: 9 });
    const server = new SimTurnServer(net, '192.0.2.50');
    const natA = net.addNat({
      publicAddress: '203.0.113.1',
      mapping: 'address-and-port-dependent',
      filtering: 'address-and-port-dependent',
    });
    const natB = net.addNat({
      publicAddress: '203.0.113.2',
      mapping: 'address-and-port-dependent',
      filtering: 'address-and-port-dependent',
    });
    const ha = net.addHost({ address: '10.0.0.2', behind: natA, uplink: { delayMs: 10 } });
    const hb = net.addHost({ address: '10.0.1.2', behind: natB, uplink: { delayMs: 10 } });
    const a = new SimIceEndpoint(net, ha, { controlling: true, relayOnly: true }, 'a');
    const b = new SimIceEndpoint(net, hb, { controlling: false, relayOnly: true }, 'b');
    signal(a, b);
    a.addTurnRelay('r0', server.address, 'user', 'pass');
    b.addTurnRelay('r0', server.address, 'user', 'pass');
    const connected = (e: SimIceEndpoint) => e.agent.state === 'connected' || e.agent.state === 'completed';
    expect(net.runUntil(() => connected(a) && connected(b), { timeoutMs: 20_000 })).toBe(true);
    expect(a.agent.selectedPair?.local.type).toBe('relay');
    expect(a.agent.selectedPair?.remote.type).toBe('relay');
    a.agent.send(Buffer.from([0x80, 42]));
    a.flush();
    net.runUntil(() => b.received.length > 0, { timeoutMs: 3000 });
    expect(b.received[0]).toEqual(Buffer.from([0x80, 42]));
  });
});

describe('ChannelData and permission lifetimes', () => {
  it('pads ChannelData over TCP only, and ignores padding when decoding', async () => {
    const { decodeChannelData, encodeChannelData, splitStreamMessages } = await import('../src/index.js');
    const udp = encodeChannelData(0x4001, Buffer.from('hello'), false);
    expect(udp.length).toBe(9);
    const tcp = encodeChannelData(0x4001, Buffer.from('hello'), true);
    expect(tcp.length).toBe(12);
    expect(tcp.subarray(9)).toEqual(Buffer.alloc(3));
    expect(decodeChannelData(tcp)?.data.toString()).toBe('hello');
    expect(decodeChannelData(udp.subarray(0, 8))).toBeUndefined();
    expect(() => encodeChannelData(0x3fff, Buffer.alloc(1), false)).toThrow(RangeError);
    const split = splitStreamMessages(Buffer.concat([tcp, tcp.subarray(0, 5)]));
    expect(split.messages).toHaveLength(1);
    expect(split.consumed).toBe(12);
  });

  it('keeps channel and permission alive across their lifetimes', () => {
    const net = new SimNetwork({ seed: 5 });
    const server = new SimTurnServer(net, '192.0.2.50');
    const client = new TurnClient({ username: 'user', password: 'pass' });
    const got: Buffer[] = [];
    const { pump } = wire(net, '198.51.100.1', server, client, (d) => got.push(d));
    client.start(net.now);
    pump();
    net.runUntil(() => client.state === 'allocated', { timeoutMs: 5000 });
    const peerHost = net.addHost({ address: '198.51.100.9' });
    const peer = peerHost.bind((d) => peer.send(d.data, d.from), { port: 9000 });
    client.send({ address: '198.51.100.9', port: 9000 }, Buffer.from('x'), net.now);
    pump();
    net.runFor(20 * 60_000);
    const binds = server.requests.filter((r) => r.method === StunMethod.ChannelBind).length;
    const refreshes = server.requests.filter((r) => r.method === StunMethod.Refresh).length;
    // The channel is re-bound every 4 minutes (its permission lasts 5), the allocation every 9.
    expect(binds).toBeGreaterThanOrEqual(5);
    expect(refreshes).toBeGreaterThanOrEqual(2);
    client.send({ address: '198.51.100.9', port: 9000 }, Buffer.from('late'), net.now);
    pump();
    net.runFor(1000);
    expect(got.map(String)).toContain('late');
  });
});
