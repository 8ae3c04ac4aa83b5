import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { StunClass, StunMessage } from '../src/index.js';
import { SimIceEndpoint, seeded, signal } from './support/sim-agent.js';

interface SentRequest {
  at: number;
  id: string;
  nominating: boolean;
}

/** Two agents on links without delay, every Binding request they transmit recorded by transaction. */
function zeroDelayPair(seed: number) {
  const net = new SimNetwork({ seed });
  const ha = net.addHost({ address: '198.51.100.1' });
  const hb = net.addHost({ address: '198.51.100.2' });
  const a = new SimIceEndpoint(net, ha, { controlling: true, random: seeded(seed * 2 + 1) }, 'a');
  const b = new SimIceEndpoint(net, hb, { controlling: false, random: seeded(seed * 2 + 2) }, 'b');
  const requests = new Map<SimIceEndpoint, SentRequest[]>([
    [a, []],
    [b, []],
  ]);
  for (const e of [a, b]) {
    const agent = e.agent;
    const poll = agent.pollTransmit.bind(agent);
    agent.pollTransmit = () => {
      const t = poll();
      const m = t && StunMessage.tryParse(t.data);
      if (m && m.messageClass === StunClass.Request) {
        const list = requests.get(e)!;
        const id = m.transactionId.toString('hex');
        // A retransmission repeats its transaction id; count transactions, not datagrams.
        if (!list.some((r) => r.id === id)) list.push({ at: net.now, id, nominating: m.useCandidate() });
      }
      return t;
    };
  }
  a.bindHost();
  b.bindHost();
  signal(a, b);
  a.agent.endOfLocalCandidates();
  b.agent.endOfLocalCandidates();
  a.flush();
  b.flush();
  return { net, a, b, requests };
}

describe('check pacing over zero-delay links (RFC 8445 section 14, RFC 7675)', () => {
  for (const seed of [1, 2, 3]) {
    it(`connects, then sends a bounded number of STUN transactions per virtual second (seed ${seed})`, () => {
      const { net, a, b, requests } = zeroDelayPair(seed);
      // Before the fix this never returned: each agent's answer re-triggered the other's check
      // at the same virtual instant, so the clock never advanced.
      // Events are bounded too, so the livelock fails fast instead of spinning at one instant.
      const done = () => a.agent.state === 'completed' && b.agent.state === 'completed';
      let events = 0;
      net.runUntil(() => done() || ++events > 5_000, { timeoutMs: 5_000 });
      expect(events).toBeLessThan(5_000);
      expect(done()).toBe(true);
      expect(net.now).toBeLessThan(1_000);
      for (const [e, list] of requests) {
        // Ordinary and triggered checks leave at least Ta (50 ms by default) apart; our nomination
        // repeats a check that just succeeded and goes at once.
        const checking = list.filter((r) => r.at <= net.now);
        expect(checking.filter((r) => r.nominating).length).toBeLessThanOrEqual(1);
        for (let i = 1; i < checking.length; i++) {
          if (checking[i]!.nominating) continue;
          expect({ agent: e.name, gap: checking[i]!.at - checking[i - 1]!.at >= 50 }).toEqual({
            agent: e.name,
            gap: true,
          });
        }
        expect(checking.length).toBeLessThanOrEqual(4);
      }
      // The controlling agent nominates as soon as its check succeeds, not a Ta later.
      const fromA = requests.get(a)!;
      const nomination = fromA.findIndex((r) => r.nominating);
      expect(nomination).toBeGreaterThan(0);
      expect(fromA[nomination]!.at - fromA[nomination - 1]!.at).toBeLessThan(50);
      const connectedAt = net.now;
      net.runFor(60_000);
      expect(a.agent.state).toBe('completed');
      expect(b.agent.state).toBe('completed');
      for (const [e, list] of requests) {
        const after = list.filter((r) => r.at > connectedAt);
        // Consent freshness only: one request every 4-6 s (RFC 7675 5.1), so 10-15 in 60 s.
        expect({ agent: e.name, n: after.length }).toMatchObject({ agent: e.name });
        expect(after.length).toBeGreaterThanOrEqual(8);
        expect(after.length).toBeLessThanOrEqual(16);
        for (let sec = 0; sec < 60; sec++) {
          const inSecond = after.filter(
            (r) => r.at > connectedAt + sec * 1000 && r.at <= connectedAt + (sec + 1) * 1000,
          );
          expect(inSecond.length).toBeLessThanOrEqual(1);
        }
      }
    });
  }
});
