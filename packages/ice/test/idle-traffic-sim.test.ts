import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { StunClass, StunMessage } from '../src/index.js';
import { SimIceEndpoint, seeded, signal } from './support/sim-agent.js';

interface Sent {
  at: number;
  socketId: string;
  to: number;
  kind: 'request' | 'response' | 'indication' | 'other';
}

/** Records every datagram an endpoint sends, and every time its timer runs `handleTimeout`. */
function record(e: SimIceEndpoint, net: SimNetwork): { sent: Sent[]; wakeups: number[] } {
  const sent: Sent[] = [];
  const wakeups: number[] = [];
  for (const [socketId, socket] of e.sockets) {
    const send = socket.send.bind(socket);
    socket.send = (data, to) => {
      const m = StunMessage.tryParse(data);
      const kind =
        m?.messageClass === StunClass.Request
          ? 'request'
          : m?.messageClass === StunClass.SuccessResponse
            ? 'response'
            : m?.messageClass === StunClass.Indication
              ? 'indication'
              : 'other';
      sent.push({ at: net.now, socketId, to: to.port, kind });
      send(data, to);
    };
  }
  const handleTimeout = e.agent.handleTimeout.bind(e.agent);
  e.agent.handleTimeout = (now) => {
    wakeups.push(now);
    handleTimeout(now);
  };
  return { sent, wakeups };
}

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

/**
 * Two agents with two host sockets each (four candidate pairs), connected and nominated, then
 * left idle for 60 s of virtual time. What they owe each other (RFC 7675 section 5.1): one consent
 * request every 4-6 s each, and an answer to each of the peer's; keepalives (RFC 8445 section 11)
 * are covered by that traffic; nothing on the three pairs that were not selected (RFC 8445 8.3:
 * after nomination the other pairs are no longer checked).
 */
describe('an idle connected agent', () => {
  function idlePair(seed: number) {
    const net = new SimNetwork({ seed });
    const ha = net.addHost({ address: '198.51.100.1', uplink: { delayMs: 10 } });
    const hb = net.addHost({ address: '198.51.100.2', uplink: { delayMs: 10 } });
    const a = new SimIceEndpoint(net, ha, { controlling: true, random: seeded(seed * 2) }, 'a');
    const b = new SimIceEndpoint(net, hb, { controlling: false, random: seeded(seed * 2 + 1) }, 'b');
    for (let i = 0; i < 2; i++) {
      a.bindHost();
      b.bindHost();
    }
    signal(a, b);
    a.agent.endOfLocalCandidates();
    b.agent.endOfLocalCandidates();
    expect(
      net.runUntil(() => a.agent.state === 'completed' && b.agent.state === 'completed', {
        timeoutMs: 20_000,
      }),
    ).toBe(true);
    expect(a.agent.checkList).toHaveLength(4);
    expect(b.agent.checkList).toHaveLength(4);
    // Let the last check retransmission timers run out.
    net.runFor(10_000);
    const ra = record(a, net);
    const rb = record(b, net);
    const start = net.now;
    net.runFor(60_000);
    return { a, b, ra, rb, start };
  }

  for (const seed of [3, 4, 5]) {
    it(`sends consent requests 4-6 s apart on the selected pair and nothing else (seed ${seed})`, () => {
      const { a, b, ra, rb } = idlePair(seed);
      for (const [e, r, peer] of [
        [a, ra, rb],
        [b, rb, ra],
      ] as const) {
        const selected = e.agent.selectedPair!;
        // Nothing on a pair other than the selected one.
        for (const s of r.sent) {
          expect(s.socketId).toBe(selected.local.socketId);
          expect(s.to).toBe(selected.remote.port);
        }
        const requests = r.sent.filter((s) => s.kind === 'request').map((s) => s.at);
        // RFC 7675 section 5.1: 0.8 to 1.2 times the 5 s base between consecutive requests.
        for (const gap of gaps(requests)) {
          expect(gap).toBeGreaterThanOrEqual(4000);
          expect(gap).toBeLessThanOrEqual(6000);
        }
        expect(requests.length).toBeGreaterThanOrEqual(10);
        expect(requests.length).toBeLessThanOrEqual(15);
        // The leader's timer draws 0.8-1.2 times the base: on average 5 s, so about 12 in 60 s.
        const mean = (requests.at(-1)! - requests[0]!) / (requests.length - 1);
        expect(mean).toBeGreaterThan(4500);
        expect(mean).toBeLessThan(5500);
        // Each of the peer's requests answered once; no keepalive indications needed (RFC 8445 11).
        const peerRequests = peer.sent.filter((s) => s.kind === 'request').length;
        const responses = r.sent.filter((s) => s.kind === 'response').length;
        expect(Math.abs(responses - peerRequests)).toBeLessThanOrEqual(1);
        expect(r.sent.filter((s) => s.kind === 'indication' || s.kind === 'other')).toEqual([]);
        expect(e.agent.state === 'connected' || e.agent.state === 'completed').toBe(true);
      }
    });

    it(`wakes once per pair of consent requests, always on the same side (seed ${seed})`, () => {
      const { ra, rb } = idlePair(seed);
      const requestsOf = (r: typeof ra) => r.sent.filter((s) => s.kind === 'request').map((s) => s.at);
      let leading = 0;
      for (const [r, peer] of [
        [ra, rb],
        [rb, ra],
      ] as const) {
        const own = requestsOf(r);
        const peers = requestsOf(peer);
        // The timer runs only to send a request: no wake-up for anything else while idle.
        expect(own).toEqual(expect.arrayContaining(r.wakeups));
        for (const t of own) {
          const woke = r.wakeups.includes(t);
          // 10 ms link delay: a request sent on the peer's arrival leaves 10 ms after the peer's.
          const followed = peers.includes(t - 10);
          expect(woke !== followed).toBe(true);
          if (woke) leading++;
        }
      }
      // The roles settle at the first exchange: one side leads every time, the other never wakes.
      expect([ra.wakeups.length, rb.wakeups.length]).toContain(0);
      const all = requestsOf(ra).length + requestsOf(rb).length;
      expect(all).toBeGreaterThanOrEqual(20);
      // Every leading request is followed by the peer's: half of them (one may still be on its way).
      expect(ra.wakeups.length + rb.wakeups.length).toBe(leading);
      expect(Math.abs(2 * leading - all)).toBeLessThanOrEqual(1);
    });
  }
});

describe('after nomination (RFC 8445 section 8.1.2)', () => {
  it('neither side checks or retransmits to other pairs, and both reach completed', () => {
    const net = new SimNetwork({ seed: 8 });
    const ha = net.addHost({ address: '198.51.100.1', uplink: { delayMs: 10 } });
    const hb = net.addHost({ address: '198.51.100.2', uplink: { delayMs: 10 } });
    const a = new SimIceEndpoint(net, ha, { controlling: true, random: seeded(16) }, 'a');
    const b = new SimIceEndpoint(net, hb, { controlling: false, random: seeded(17) }, 'b');
    a.bindHost();
    b.bindHost();
    const dead: { at: number; from: string; selected: boolean }[] = [];
    for (const e of [a, b]) {
      const socket = e.sockets.get('s0')!;
      const send = socket.send.bind(socket);
      socket.send = (data, to) => {
        if (to.host.startsWith('203.0.113.'))
          dead.push({ at: net.now, from: e.name, selected: e.agent.selectedPair !== undefined });
        send(data, to);
      };
    }
    signal(a, b);
    // Three candidates each side that nobody answers (a peer's unreachable interfaces), with a
    // higher priority than the real one, so they are checked first and still in progress when
    // the real pair is nominated.
    for (let i = 0; i < 3; i++) {
      const dead = (address: string) =>
        ({
          foundation: `d${i}`,
          component: 1,
          transport: 'udp',
          priority: 2_130_706_431 - i,
          address,
          port: 9000,
          type: 'host',
        }) as const;
      a.agent.addRemoteCandidate(dead(`203.0.113.${i + 1}`));
      b.agent.addRemoteCandidate(dead(`203.0.113.${i + 11}`));
    }
    a.agent.endOfLocalCandidates();
    b.agent.endOfLocalCandidates();
    a.agent.endOfRemoteCandidates();
    b.agent.endOfRemoteCandidates();
    a.flush();
    b.flush();
    net.runFor(20_000);
    expect(a.agent.selectedPair?.remote.address).toBe('198.51.100.2');
    expect(b.agent.selectedPair?.remote.address).toBe('198.51.100.1');
    // Checked (and retransmitted) before nomination: 3 pairs, each side.
    for (const name of ['a', 'b']) {
      expect(dead.filter((d) => d.from === name && !d.selected).length).toBeGreaterThanOrEqual(6);
    }
    // Once a pair is nominated and selected, nothing more goes to the others (with the old
    // behaviour, 4-5 more retransmissions per pair per side over the next 5 s).
    expect(dead.filter((d) => d.selected)).toEqual([]);
    expect(a.agent.state).toBe('completed');
    expect(b.agent.state).toBe('completed');
    expect(a.agent.checkList.filter((p) => p.state === 'in-progress')).toEqual([]);
  });
});
