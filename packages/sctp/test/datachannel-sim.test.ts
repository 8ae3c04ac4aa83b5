import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { type DataChannelEvent, DataChannelManager, SctpAssociation } from '../src/index.js';
import { seededRandom } from './helpers/pair.js';

/** Two data channel managers over test/sim: a lossy, reordering link with a DTLS-sized MTU. */
function simChannels(loss: number) {
  const net = new SimNetwork({ seed: 31 });
  const link = { delayMs: 25, jitterMs: 5, loss, reorder: 0.05, mtu: 1280 };
  const ha = net.addHost({ address: '192.0.2.10', uplink: link });
  const hb = net.addHost({ address: '192.0.2.20', uplink: link });
  const a = new DataChannelManager(new SctpAssociation({ random: seededRandom(41) }), 'client');
  const b = new DataChannelManager(new SctpAssociation({ random: seededRandom(42) }), 'server');
  const ea: DataChannelEvent[] = [];
  const eb: DataChannelEvent[] = [];
  const drain = () => {
    for (let p = a.pollTransmit(net.now); p; p = a.pollTransmit(net.now))
      sa.send(p, { host: '192.0.2.20', port: 5000 });
    for (let p = b.pollTransmit(net.now); p; p = b.pollTransmit(net.now))
      sb.send(p, { host: '192.0.2.10', port: 5000 });
    for (let e = a.pollEvent(); e; e = a.pollEvent()) ea.push(e);
    for (let e = b.pollEvent(); e; e = b.pollEvent()) eb.push(e);
  };
  const sa = ha.bind(
    (d, now) => {
      a.handlePacket(d.data, now);
      drain();
    },
    { port: 5000 },
  );
  const sb = hb.bind(
    (d, now) => {
      b.handlePacket(d.data, now);
      drain();
    },
    { port: 5000 },
  );
  for (const m of [a, b])
    net.addTimerNode({
      nextDeadline: () => m.nextDeadline(),
      handleTimeout: (now) => {
        m.handleTimeout(now);
        drain();
      },
    });
  return { net, a, b, ea, eb, drain };
}

describe('data channels over test/sim', () => {
  it('a reliable and an unreliable channel share a 10% lossy link: one gets everything, the other never stalls', () => {
    const { net, a, eb, drain } = simChannels(0.1);
    a.connect(net.now);
    const reliable = a.createChannel({ label: 'reliable' });
    const lossy = a.createChannel({ label: 'game state', ordered: false, maxRetransmits: 0 });
    drain();
    net.runUntil(() => eb.filter((e) => e.type === 'channel-open').length === 2, { timeoutMs: 30_000 });
    let i = 0;
    let next = net.now;
    const stop = net.addTimerNode({
      nextDeadline: () => (i < 500 ? next : undefined),
      handleTimeout: () => {
        a.send(reliable.id, `r${i}`);
        a.send(lossy.id, `u${i}`);
        i++;
        next += 10;
        drain();
      },
    });
    net.runUntil(() => i >= 500, { timeoutMs: 120_000 });
    stop();
    net.runFor(20_000);
    const got = (id: number) =>
      eb.filter((e) => e.type === 'message' && e.id === id).map((e) => (e.type === 'message' ? e.data : ''));
    expect(got(reliable.id)).toEqual(Array.from({ length: 500 }, (_, k) => `r${k}`));
    const u = got(lossy.id);
    expect(u.length).toBeGreaterThan(400);
    expect(u.length).toBeLessThan(500);
    expect(new Set(u).size).toBe(u.length);
    expect(u).toContain('u499');
  });
});
