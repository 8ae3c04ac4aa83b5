import { SimNetwork } from '@purertc/test/sim';
import { describe, expect, it } from 'vitest';
import { StunClass, StunMessage, serializeCandidate } from '../src/index.js';
import { SimIceEndpoint, seeded, signal } from './support/sim-agent.js';

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

// Found by Chrome interop: a triggered check answering the peer's early check carried the peer's
// old ufrag to its new candidate; Chrome answered 401 and kept the connection it had nominated
// with our old credentials, so the new generation never completed on our side.
describe('ICE restart offered by us, the peer checking before its answer reaches us', () => {
  it('answers the early checks, checks back only once the answer names their sender, then converges', () => {
    const { net, chrome, ours } = connectedPair(9);
    ours.agent.restart(); // our offer
    describeTo(ours, chrome);
    chrome.agent.restart(); // Chrome's answer, applied on its side: it checks us at once
    const answered = ours.agent.stats.responsesSent;
    net.runUntil(() => ours.agent.stats.responsesSent > answered, { timeoutMs: 2000 });
    net.runUntil(() => false, { timeoutMs: 200 });
    expect(ours.agent.stats.responsesSent).toBeGreaterThan(answered);
    // RFC 8445 section 7.3: the USERNAME names a sender ufrag we have no password for yet.
    expect(ours.agent.checkList.every((p) => p.stats.requestsSent === 0)).toBe(true);
    describeTo(chrome, ours); // the answer arrives
    expect(ours.agent.checkList.some((p) => p.state === 'failed')).toBe(false);
    const start = net.now;
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
    expect(net.now - start).toBeLessThan(1000);
  });
});

// Found by Chrome interop: a check sent between Chrome's restart offer and our answer carried our
// old ufrag; Chrome bound a peer-reflexive candidate to it and never answered our new checks.
describe('ICE restart offered by the peer, before our answer is applied', () => {
  // Found by Chrome interop: Chrome keeps one connection per remote address, so its connection to
  // our (unchanged) address stays bound to our old ufrag after our answer; it answers our new
  // ufrag with 401 and goes on checking and nominating with the old one.
  it('completes the restart on a pair the peer keeps checking with our previous ufrag', () => {
    const { net, chrome, ours } = connectedPair(17);
    chrome.agent.restart(); // Chrome's offer; it keeps our current credentials and candidates
    for (const c of ours.agent.localCandidateList) chrome.agent.addRemoteCandidate(serializeCandidate(c));
    chrome.flush();
    net.runUntil(() => false, { timeoutMs: 300 });
    const oldUfrag = ours.agent.localCredentials.ufrag;
    describeTo(chrome, ours); // setRemoteDescription(offer)
    ours.agent.restart(); // setLocalDescription(answer): Chrome never adopts it on this connection
    const newUfrag = ours.agent.localCredentials.ufrag;
    expect(newUfrag).not.toBe(oldUfrag);
    chrome.dropInbound = (data) => {
      const m = StunMessage.tryParse(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      return m?.messageClass === StunClass.Request && m.username()?.endsWith(`:${newUfrag}`) === true;
    };
    expect(net.runUntil(() => usesNewGeneration(ours, chrome), { timeoutMs: 5000 })).toBe(true);
    const selected = ours.agent.checkList.find((p) => p.nominated && p.state === 'succeeded');
    expect(selected).toBeDefined();
    expect(ours.agent.state === 'connected' || ours.agent.state === 'completed').toBe(true);
    // Consent keeps flowing on it with the credentials Chrome knows (RFC 7675).
    const answered = ours.agent.selectedPair!.stats.responsesReceived;
    net.runUntil(() => false, { timeoutMs: 12_000 });
    expect(ours.agent.state === 'connected' || ours.agent.state === 'completed').toBe(true);
    expect(ours.agent.selectedPair!.stats.responsesReceived).toBeGreaterThan(answered);
  });

  // Found by Chrome interop: Chrome restarting keeps our candidates and checks them at once with
  // its new ufrag and our current one, nominating before its offer reaches us.
  it("answers checks from the peer's new generation before its offer, and checks back only after", () => {
    const { net, chrome, ours } = connectedPair(13);
    chrome.agent.restart();
    for (const c of ours.agent.localCandidateList) chrome.agent.addRemoteCandidate(serializeCandidate(c));
    chrome.flush();
    const checks = ours.agent.stats.checksSent;
    const answered = ours.agent.stats.responsesSent;
    net.runUntil(() => false, { timeoutMs: 500 });
    expect(ours.agent.stats.responsesSent).toBeGreaterThan(answered);
    expect(ours.agent.stats.checksSent).toBe(checks);
    describeTo(chrome, ours); // setRemoteDescription(offer)
    ours.agent.restart(); // setLocalDescription(answer)
    describeTo(ours, chrome);
    // Our first checks go out with both new ufrags (Chrome then renominates on them; our own agent
    // as the offerer keeps the pair it nominated early, which is why convergence is not asserted).
    expect(net.runUntil(() => ours.agent.stats.checksSent > checks, { timeoutMs: 1000 })).toBe(true);
    const sent = ours.agent.checkList.filter((p) => p.stats.requestsSent > 0);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((p) => p.local.ufrag === ours.agent.localCredentials.ufrag)).toBe(true);
    expect(ours.agent.state === 'connected' || ours.agent.state === 'completed').toBe(true);
  });

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

describe('ICE restart offered by an ICE-lite peer', () => {
  it('keeps us controlling (RFC 8445 6.1.1) and selects a pair of the new generation', () => {
    const net = new SimNetwork({ seed: 23 });
    const hl = net.addHost({ address: '198.51.100.1', uplink: { delayMs: 5 } });
    const hf = net.addHost({ address: '198.51.100.2', uplink: { delayMs: 5 } });
    const lite = new SimIceEndpoint(net, hl, { controlling: false, lite: true, random: seeded(46) }, 'lite');
    const full = new SimIceEndpoint(net, hf, { controlling: true, random: seeded(47) }, 'full');
    lite.bindHost('s0');
    full.bindHost('s0');
    lite.trickle = false;
    full.trickle = false;
    lite.peer = full;
    full.peer = lite;
    const describe = (from: SimIceEndpoint, to: SimIceEndpoint, remoteLite: boolean) => {
      to.agent.setRemoteCredentials(from.agent.localCredentials, { lite: remoteLite });
      for (const c of from.agent.localCandidateList) to.agent.addRemoteCandidate(serializeCandidate(c));
      to.flush();
    };
    describe(lite, full, true);
    describe(full, lite, false);
    expect(
      net.runUntil(() => connected(full) && full.agent.selectedPair !== undefined, { timeoutMs: 5000 }),
    ).toBe(true);
    lite.agent.restart(); // the lite peer offers a restart
    describe(lite, full, true);
    full.agent.restart(); // our answer
    describe(full, lite, false);
    expect(full.agent.controlling).toBe(true);
    expect(
      net.runUntil(() => full.agent.selectedPair?.local.ufrag === full.agent.localCredentials.ufrag, {
        timeoutMs: 5000,
      }),
    ).toBe(true);
    expect(full.agent.controlling).toBe(true);
  });
});
