import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { serializeCandidate } from '../src/index.js';
import { SimIceEndpoint, signal } from './support/sim-agent.js';

function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

const connected = (e: SimIceEndpoint) => e.agent.state === 'connected' || e.agent.state === 'completed';

/** Applies `from`'s description to `to`: its (new) credentials, then every candidate it carries. */
function describeTo(from: SimIceEndpoint, to: SimIceEndpoint): void {
  to.agent.setRemoteCredentials(from.agent.localCredentials);
  for (const c of from.agent.localCandidateList) to.agent.addRemoteCandidate(serializeCandidate(c));
  to.flush();
}

/**
 * `chrome` (controlling, the offerer) and `ours` (controlled), connected; candidates then travel
 * only inside descriptions, as in a non-trickle Chrome restart.
 */
function connectedPair(seed: number): { net: SimNetwork; chrome: SimIceEndpoint; ours: SimIceEndpoint } {
  const net = new SimNetwork({ seed });
  const hc = net.addHost({ address: '198.51.100.1', uplink: { delayMs: 5 } });
  const ho = net.addHost({ address: '198.51.100.2', uplink: { delayMs: 5 } });
  const chrome = new SimIceEndpoint(net, hc, { controlling: true, random: seeded(seed * 2) }, 'chrome');
  const ours = new SimIceEndpoint(net, ho, { controlling: false, random: seeded(seed * 2 + 1) }, 'ours');
  chrome.bindHost('s0');
  ours.bindHost('s0');
  signal(chrome, ours);
  expect(net.runUntil(() => connected(chrome) && connected(ours), { timeoutMs: 10_000 })).toBe(true);
  chrome.trickle = false;
  ours.trickle = false;
  return { net, chrome, ours };
}

/** The peer offers a restart with its candidates (RFC 8445 9); we answer with ours. */
function peerOffersRestart(chrome: SimIceEndpoint, ours: SimIceEndpoint): void {
  chrome.agent.restart();
  describeTo(chrome, ours); // setRemoteDescription(offer)
  ours.agent.restart(); // setLocalDescription(answer): our new credentials
}

function usesNewGeneration(ours: SimIceEndpoint, chrome: SimIceEndpoint): boolean {
  const pair = ours.agent.selectedPair;
  return (
    pair !== undefined &&
    pair.local.ufrag === ours.agent.localCredentials.ufrag &&
    chrome.agent.selectedPair?.local.ufrag === chrome.agent.localCredentials.ufrag
  );
}

// Found by Chrome interop: Chrome offering restarts, with its candidates in the offer.
describe('ICE restart offered by the peer, in the order Chrome drives it', () => {
  it('selects a pair of the new generation on both sides', () => {
    const { net, chrome, ours } = connectedPair(3);
    peerOffersRestart(chrome, ours);
    expect(ours.agent.checkList.length).toBeGreaterThan(0);
    describeTo(ours, chrome); // Chrome applies our answer
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
    expect(ours.states.map((s) => s.state)).not.toContain('disconnected');
  });

  it('a second restart offered before ours finished the first replaces the first generation', () => {
    const { net, chrome, ours } = connectedPair(5);
    peerOffersRestart(chrome, ours);
    describeTo(ours, chrome);
    const firstUfrag = chrome.agent.localCredentials.ufrag;
    // No time passes: our side has not selected a pair of the first restart yet.
    peerOffersRestart(chrome, ours);
    expect(chrome.agent.localCredentials.ufrag).not.toBe(firstUfrag);
    // The second offer's candidates are paired at once, not learned from Chrome's checks later.
    expect(ours.agent.checkList.length).toBeGreaterThan(0);
    expect(ours.agent.remoteCandidateList.every((c) => c.ufrag !== firstUfrag)).toBe(true);
    describeTo(ours, chrome);
    const start = net.now;
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
    expect(net.now - start).toBeLessThan(2000);
    expect(ours.states.map((s) => s.state)).not.toContain('disconnected');
  });

  it('our own restart answered while the peer restarts again still converges', () => {
    const { net, chrome, ours } = connectedPair(7);
    ours.agent.restart(); // our offer
    describeTo(ours, chrome);
    chrome.agent.restart(); // Chrome's answer
    describeTo(chrome, ours);
    expect(ours.agent.checkList.length).toBeGreaterThan(0);
    peerOffersRestart(chrome, ours); // at once, Chrome offers a restart of its own
    expect(ours.agent.checkList.length).toBeGreaterThan(0);
    describeTo(ours, chrome);
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
  });
});

describe('ICE restart offered by us, the peer checking before its answer reaches us', () => {
  it('converges on the new generation, with no check left failed or in flight from before the answer', () => {
    const { net, chrome, ours } = connectedPair(9);
    ours.agent.restart(); // our offer
    describeTo(ours, chrome);
    chrome.agent.restart(); // Chrome's answer, applied on its side: it checks us at once
    net.runUntil(() => ours.agent.checkList.some((p) => p.stats.requestsSent > 0), { timeoutMs: 2000 });
    // Our triggered checks still carry Chrome's old credentials.
    const early = ours.agent.checkList.filter((p) => p.stats.requestsSent > 0);
    expect(early.length).toBeGreaterThan(0);
    net.runUntil(() => false, { timeoutMs: 200 });
    describeTo(chrome, ours); // the answer arrives
    expect(ours.agent.checkList.some((p) => p.state === 'failed' || p.state === 'in-progress')).toBe(false);
    const start = net.now;
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
    expect(net.now - start).toBeLessThan(1000);
  });
});

// Found by Chrome interop: a check sent between Chrome's restart offer and our answer carried our
// old ufrag; Chrome bound a peer-reflexive candidate to it and never answered our new checks.
describe('ICE restart offered by the peer, before our answer is applied', () => {
  it('sends no check until our own new credentials exist, then checks with them', () => {
    const { net, chrome, ours } = connectedPair(11);
    chrome.agent.restart();
    describeTo(chrome, ours); // setRemoteDescription(offer) only
    expect(ours.agent.checkList.length).toBeGreaterThan(0);
    net.runUntil(() => false, { timeoutMs: 500 });
    expect(ours.agent.checkList.every((p) => p.stats.requestsSent === 0)).toBe(true);
    ours.agent.restart(); // setLocalDescription(answer)
    describeTo(ours, chrome);
    net.runUntil(() => ours.agent.checkList.some((p) => p.stats.requestsSent > 0), { timeoutMs: 500 });
    expect(ours.agent.checkList.every((p) => p.local.ufrag === ours.agent.localCredentials.ufrag)).toBe(true);
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
  });
});
