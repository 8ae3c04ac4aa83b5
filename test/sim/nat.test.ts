import { describe, expect, it } from 'vitest';
import type { SimAddress } from './address.js';
import type { NatBehavior } from './nat.js';
import { SimNetwork } from './network.js';

/**
 * One private host behind a NAT and three public servers: S1 and S1' share an address with
 * different ports, S2 has another address. RFC 4787 section 4 defines each behaviour by what the
 * servers observe and what they can send back.
 */
function setup(mapping: NatBehavior, filtering: NatBehavior, mappingTimeoutMs = 30_000) {
  const net = new SimNetwork({ seed: 1 });
  const nat = net.addNat({ publicAddress: '203.0.113.1', mapping, filtering, mappingTimeoutMs });
  const client = net.addHost({ address: '192.168.1.10', behind: nat });
  const server1 = net.addHost({ address: '198.51.100.1' });
  const server2 = net.addHost({ address: '198.51.100.2' });
  const seen: { at: string; from: SimAddress; data: string }[] = [];
  const record = (name: string) => (d: { from: SimAddress; data: Uint8Array }) =>
    seen.push({ at: name, from: d.from, data: new TextDecoder().decode(d.data) });
  const c = client.bind(record('client'), { port: 5000 });
  const s1 = server1.bind(record('s1'), { port: 3478 });
  const s1b = server1.bind(record('s1b'), { port: 3479 });
  const s2 = server2.bind(record('s2'), { port: 3478 });
  return { net, nat, c, s1, s1b, s2, seen };
}

const text = (s: string) => new TextEncoder().encode(s);

describe('NAT mapping behaviour (RFC 4787 4.1)', () => {
  it.each<[NatBehavior, boolean, boolean]>([
    // [mapping, same external port for same address other port, same for other address]
    ['endpoint-independent', true, true],
    ['address-dependent', true, false],
    ['address-and-port-dependent', false, false],
  ])('%s', (mapping, samePortForOtherPort, samePortForOtherAddress) => {
    const { net, c, s1, s1b, s2, seen } = setup(mapping, 'endpoint-independent');
    c.send(text('a'), s1.address);
    c.send(text('b'), s1b.address);
    c.send(text('c'), s2.address);
    net.runUntilIdle();
    const port = (at: string) => seen.find((s) => s.at === at)!.from;
    expect(port('s1').host).toBe('203.0.113.1');
    expect(port('s1').port === port('s1b').port).toBe(samePortForOtherPort);
    expect(port('s1').port === port('s2').port).toBe(samePortForOtherAddress);
  });
});

describe('NAT filtering behaviour (RFC 4787 5)', () => {
  it.each<[NatBehavior, boolean, boolean]>([
    // [filtering, accepts from same address other port, accepts from other address]
    ['endpoint-independent', true, true],
    ['address-dependent', true, false],
    ['address-and-port-dependent', false, false],
  ])('%s', (filtering, fromOtherPort, fromOtherAddress) => {
    const { net, nat, c, s1, s1b, s2, seen } = setup('endpoint-independent', filtering);
    c.send(text('hello'), s1.address);
    net.runUntilIdle();
    const mapped = seen[0]!.from;
    s1.send(text('reply'), mapped);
    s1b.send(text('other-port'), mapped);
    s2.send(text('other-address'), mapped);
    net.runUntilIdle();
    const received = seen.filter((s) => s.at === 'client').map((s) => s.data);
    expect(received).toContain('reply');
    expect(received.includes('other-port')).toBe(fromOtherPort);
    expect(received.includes('other-address')).toBe(fromOtherAddress);
    const filtered = Number(!fromOtherPort) + Number(!fromOtherAddress);
    expect(nat.stats.droppedFiltered).toBe(filtered);
  });

  it('drops unsolicited traffic to a port with no mapping', () => {
    const { net, nat, s1 } = setup('endpoint-independent', 'endpoint-independent');
    s1.send(text('scan'), { host: '203.0.113.1', port: 40000 });
    net.runUntilIdle();
    expect(nat.stats.droppedNoMapping).toBe(1);
  });
});

describe('NAT mapping timeout', () => {
  it('forgets an idle mapping and allocates a new external port afterwards', () => {
    const { net, nat, c, s1, seen } = setup('endpoint-independent', 'endpoint-independent', 30_000);
    c.send(text('1'), s1.address);
    net.runUntilIdle();
    const first = seen[0]!.from;
    net.runFor(20_000);
    c.send(text('2'), s1.address); // refresh at t=20 s: still the same mapping
    net.runUntilIdle();
    expect(seen[1]!.from).toEqual(first);
    net.runFor(31_000);
    s1.send(text('late'), first); // idle for 31 s > 30 s: dropped
    net.runUntilIdle();
    expect(seen.some((s) => s.data === 'late')).toBe(false);
    expect(nat.stats.droppedNoMapping).toBe(1);
    c.send(text('3'), s1.address);
    net.runUntilIdle();
    expect(seen.at(-1)!.from.port).not.toBe(first.port);
    expect(nat.stats.mappingsCreated).toBe(2);
  });
});

describe('hairpinning', () => {
  it('routes a private host to another one through their shared NAT public address', () => {
    const net = new SimNetwork({ seed: 2 });
    const nat = net.addNat({
      publicAddress: '203.0.113.9',
      mapping: 'endpoint-independent',
      filtering: 'endpoint-independent',
    });
    const a = net.addHost({ address: '10.0.0.2', behind: nat });
    const b = net.addHost({ address: '10.0.0.3', behind: nat });
    const server = net.addHost({ address: '198.51.100.7' });
    const observed: SimAddress[] = [];
    const got: string[] = [];
    const srv = server.bind((d) => observed.push(d.from), { port: 3478 });
    const sb = b.bind(() => {}, { port: 6000 });
    const sa = a.bind((d) => got.push(new TextDecoder().decode(d.data)), { port: 5000 });
    sa.send(text('x'), srv.address);
    net.runUntilIdle();
    sb.send(text('via-public'), observed[0]!);
    net.runUntilIdle();
    expect(got).toEqual(['via-public']);
  });
});
