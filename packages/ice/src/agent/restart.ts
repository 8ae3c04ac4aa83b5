import type { AgentCore } from './agent-core.js';
import { makeCredentials } from './credentials.js';
import type { IceCredentials } from './types.js';

/**
 * RFC 8445 section 9: a fresh check list (and, for our own restart, new local credentials);
 * the selected pair keeps carrying data and consent until checks select a new one.
 */
export function beginRestart(core: AgentCore, newLocal: boolean, credentials?: IceCredentials): void {
  if (core.connectionState === 'closed') return;
  if (core.connectionState === 'failed') {
    // Consent was lost: nothing to keep, the restart starts from scratch (RFC 7675 section 5.1).
    core.selected = undefined;
    core.consent.stop();
    core.transactions.removeWhere((t) => t.kind === 'consent');
  }
  if (newLocal) {
    core.previousLocal = core.local;
    core.local = makeCredentials(core.random, credentials);
  }
  // Answering the peer's restart (RFC 8445 9, RFC 9429 5.3.1): the candidates that came with its
  // offer are already of the new generation; dropping them would leave only what its checks teach.
  const keepRemotes = newLocal && core.remoteRestartedFirst;
  // RFC 8445 section 6.1.1's rule applied to each restart, as libwebrtc does: the agent offering
  // the restart controls unless it is lite; answering one, we follow. Keeping the old roles made
  // both sides controlling after a Chrome restart offer, and the 487 that settled it left Chrome
  // controlled on a pair bound to our old ufrag, answering our new checks with 401.
  if (!core.lite) {
    if (!newLocal) core.switchRole(core.remoteLite);
    else if (!keepRemotes) core.switchRole(true);
  }
  core.remoteRestartedFirst = !newLocal;
  core.awaitingRestartAnswer = newLocal && !keepRemotes;
  core.restarting = core.selected !== undefined;
  core.transactions.removeWhere((t) => t.kind === 'check');
  // Answering the peer's restart: what it nominated in its new generation before our answer (on
  // our old credentials) stays nominated; the pairs are formed again below.
  const nominatedByPeer = keepRemotes
    ? new Set(core.list.pairs.filter((p) => p.nominateOnSuccess || p.nominated).map((p) => p.key))
    : undefined;
  core.list.clear();
  if (!keepRemotes) {
    core.remotes.clear();
    core.remoteGatheringDone = false;
  }
  core.nominationDone = false;
  core.firstValidAt = undefined;
  core.checksStarted = false;
  core.nextCheckAt = undefined;
  if (newLocal) {
    // Local candidates stay (same sockets); they are signalled again with the new ufrag.
    // Peer-reflexive ones are forgotten: they are learned again, never signalled.
    const renewed = core.localCandidates
      .filter((c) => c.type !== 'prflx')
      .map((c) => ({ ...c, ufrag: core.local.ufrag }));
    core.localCandidates.length = 0;
    core.localCandidates.push(...renewed);
    core.localGatheringDone = false;
    for (const c of renewed) core.events.push({ type: 'local-candidate', candidate: c });
  }
  if (keepRemotes) {
    for (const local of core.localCandidates)
      for (const remote of core.remotes.list) {
        const pair = core.formPair(local, remote);
        if (pair && nominatedByPeer?.has(pair.key)) pair.nominateOnSuccess = true;
      }
  }
  if (!core.selected && core.connectionState !== 'new') core.setState('checking');
  core.updateState(core.lastNow);
}

/**
 * The peer's answer to our restart brought its new credentials (RFC 8445 9): checks sent before
 * carried its old ones and cannot succeed, so they are sent again with the new ones.
 */
export function acceptRestartAnswer(core: AgentCore): void {
  core.awaitingRestartAnswer = false;
  core.transactions.removeWhere((t) => t.kind === 'check');
  for (const pair of core.list.pairs) {
    if (pair.state !== 'in-progress' && pair.state !== 'failed') continue;
    pair.state = 'waiting';
    pair.nominating = false;
  }
  if (core.nextCheckAt === undefined || core.nextCheckAt > core.lastNow) core.nextCheckAt = core.lastNow;
}
