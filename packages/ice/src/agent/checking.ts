import { type AgentCore, log } from './agent-core.js';
import { buildIndication } from './checks.js';
import type { CandidatePair } from './pair.js';

/** Ordinary and triggered checks are still to be sent (a lite agent sends none). */
export function hasCheckWork(core: AgentCore): boolean {
  if (core.lite || !core.remote) return false;
  // RFC 8445 9: the peer restarted and our answer with new credentials is not applied yet. A
  // check now would carry our old ufrag and teach the peer a peer-reflexive candidate bound to
  // it: Chrome then checked (and nominated) only with our old ufrag and dropped our new checks.
  if (core.remoteRestartedFirst) return false;
  return core.list.hasWork(!core.nominationDone);
}

/** RFC 8445 section 6.1.4.2: one check per Ta, triggered checks first. */
export function paceChecks(core: AgentCore, now: number): void {
  if (!hasCheckWork(core)) {
    core.nextCheckAt = undefined;
    return;
  }
  if (core.nextCheckAt !== undefined && now < core.nextCheckAt) return;
  // RFC 8445 section 14.2: triggered checks are paced by Ta like ordinary ones, whoever asked
  // for one "now" (an incoming check, a nomination, a role conflict).
  const last = core.list.lastCheckAt;
  // Our nomination repeats a check that just succeeded on a path already proven (RFC 8445
  // section 8.1.1): one packet, so it goes at once instead of costing every connection a Ta of
  // setup time, as it would if it waited for the next slot.
  const nominationNext = core.list.triggered[0]?.nominating === true;
  if (!nominationNext && last !== undefined && now < last + core.opts.taMs) {
    core.nextCheckAt = last + core.opts.taMs;
    return;
  }
  const pair = core.list.next(!core.nominationDone);
  if (pair) {
    core.checksStarted = true;
    sendCheck(core, pair, now, pair.nominating);
    core.list.lastCheckAt = now;
  }
  core.nextCheckAt = now + core.opts.taMs;
}

function sendCheck(core: AgentCore, pair: CandidatePair, now: number, useCandidate: boolean): void {
  if (!core.remote) return;
  // A pair has at most one check in flight: a new one replaces the old.
  core.transactions.cancelWhere((t) => t.pair === pair && t.kind === 'check');
  const tx = core.newTransaction(pair, 'check', useCandidate, now);
  pair.state = 'in-progress';
  core.transactions.add(tx);
  core.transmit(pair, tx.bytes, now, true);
  if (log.enabled)
    log(
      'check %s:%s -> %s:%d%s',
      core.remote.ufrag,
      core.local.ufrag,
      pair.remote.address,
      pair.remote.port,
      useCandidate ? ' USE-CANDIDATE' : '',
    );
  core.stats.checksSent++;
  pair.stats.requestsSent++;
}

export function retransmit(core: AgentCore, now: number): void {
  const { resend, expired } = core.transactions.poll(now);
  for (const tx of expired) if (tx.kind === 'check') core.failPair(tx.pair);
  for (const tx of resend) {
    core.stats.retransmissions++;
    core.transmit(tx.pair, tx.bytes, now, true);
  }
}

/** RFC 8445 section 8.1.1: regular nomination of the best valid pair. */
export function canNominate(core: AgentCore): boolean {
  if (!core.controlling || core.lite || core.nominationDone) return false;
  if (core.list.pairs.some((p) => p.nominating)) return false;
  return core.list.pairs.some((p) => p.state === 'succeeded');
}

/**
 * Nominates the best valid pair once no better pair is still being checked, or once
 * `nominationDelayMs` has passed since the first valid pair.
 */
export function maybeNominate(core: AgentCore, now: number): void {
  if (!canNominate(core)) return;
  const best = core.list.pairs.find((p) => p.state === 'succeeded')!;
  const betterPending = core.list.pairs.some(
    (p) =>
      p.priority > best.priority &&
      (p.state === 'waiting' || p.state === 'in-progress' || p.state === 'frozen'),
  );
  if (betterPending && now < (core.firstValidAt ?? now) + core.opts.nominationDelayMs) return;
  best.nominating = true;
  core.list.triggered.unshift(best);
  core.nextCheckAt = Math.min(core.nextCheckAt ?? now, now);
}

/**
 * RFC 7675 section 5.1 consent requests and RFC 8445 section 11 keepalives on the selected pair.
 * `peerAsked`: called because a request from the peer arrived on it (see `consentDue`).
 */
export function maintainConsent(core: AgentCore, now: number, peerAsked = false): void {
  const pair = core.selected;
  if (!pair || core.lite || core.connectionState === 'failed' || !core.remote) return;
  if (core.consent.consentDue(now, peerAsked)) {
    const tx = core.newTransaction(pair, 'consent', false, now);
    core.transactions.add(tx);
    core.transmit(pair, tx.bytes, now, true);
    core.stats.consentRequestsSent++;
    pair.stats.consentRequestsSent++;
    core.consent.schedule(now, peerAsked);
  }
  if (core.consent.keepaliveDue(now)) {
    core.transmit(pair, buildIndication(Buffer.from(core.random(12))), now, false);
  }
}
