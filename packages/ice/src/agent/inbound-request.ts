import type { TransportAddress } from '../stun/address.js';
import { StunErrorCode } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import { type AgentCore, log } from './agent-core.js';
import { maintainConsent } from './checking.js';
import { buildSuccessResponse } from './checks.js';
import type { Credentials } from './credentials.js';
import type { CandidatePair } from './pair.js';
import { checkRequest, resolveRoleConflict } from './request-rules.js';

/**
 * RFC 8445 section 7.3: answers a Binding request from the peer, then lets it teach us a
 * peer-reflexive candidate, trigger a check, or nominate a pair.
 */
export function handleBindingRequest(
  core: AgentCore,
  socketId: string,
  from: TransportAddress,
  msg: StunMessage,
  now: number,
): void {
  const verdict = checkRequest(msg, core.local, [core.previousLocal, core.selected?.boundLocal]);
  if (log.enabled)
    log(
      'request %s from %s:%d%s%s -> %s',
      msg.username(),
      from.address,
      from.port,
      msg.useCandidate() ? ' USE-CANDIDATE' : '',
      msg.iceControlling() !== undefined ? ' controlling' : ' controlled',
      verdict.ok ? (verdict.credentials === core.local ? 'current' : 'previous') : `error ${verdict.code}`,
    );
  if (!verdict.ok) {
    if (verdict.code === StunErrorCode.UnknownAttribute) core.stats.unknownComprehensionRequired++;
    else core.stats.unauthenticated++;
    core.respondError(socketId, from, msg, verdict.code, verdict.credentials?.key, verdict.unknown);
    return;
  }
  const creds = verdict.credentials;
  const local = core.localCandidates.find(
    (c) => c.socketId === socketId && c.type !== 'srflx' && c.type !== 'prflx',
  );
  if (!local) {
    core.stats.droppedData++;
    return;
  }
  const username = msg.username() ?? '';
  const senderUfrag = username.slice(username.indexOf(':') + 1);
  const useCandidate = msg.useCandidate();
  const fromCurrentPeer = core.remote !== undefined && senderUfrag === core.remote.ufrag;
  // RFC 8445 section 7.3.1.1 within the peer's current generation. A check of its previous one, or
  // of one we have not heard of (its restart offer is on the way), says nothing about the roles to
  // come: every restart redetermines them (see restart.ts), and a 487 now would flip a restarting
  // Chrome to controlled just before it applies its own offer.
  if (fromCurrentPeer) {
    const conflict = resolveRoleConflict(core.controlling, core.tieBreaker, msg);
    if (conflict !== 'none') {
      core.stats.roleConflicts++;
      if (conflict === 'reject') {
        core.respondError(socketId, from, msg, StunErrorCode.RoleConflict, creds.key);
        return;
      }
      core.switchRole(!core.controlling);
    }
  }
  core.transmits.push({
    socketId,
    destination: from,
    data: buildSuccessResponse(msg.transactionId, from, creds.key, core.software),
  });
  core.stats.responsesSent++;
  if (creds === core.local) {
    if (fromCurrentPeer) actOnCheck(core, socketId, from, msg.priority(), useCandidate, now, undefined);
    else core.earlyChecks.remember({ senderUfrag, socketId, from, priority: msg.priority(), useCandidate });
    return;
  }
  // RFC 8445 section 9 race: the peer restarted, checked (and nominated) our candidates with our
  // credentials of then, and goes on doing so after our answer gave it new ones. Chrome does: it
  // keeps one connection per remote address, and our candidates keep their addresses across a
  // restart, so its connection stays bound to our old ufrag and answers 401 to our new one. The
  // pair then speaks the credentials the peer knows it by, and the restart completes on it.
  if (fromCurrentPeer) actOnCheck(core, socketId, from, msg.priority(), useCandidate, now, creds);
}

/**
 * Replays the checks that came from `ufrag`'s generation before we knew its credentials
 * (see `EarlyChecks`), now that it is the remote one.
 */
export function replayEarlyChecks(core: AgentCore, ufrag: string, now: number): void {
  for (const c of core.earlyChecks.takeFor(ufrag))
    actOnCheck(core, c.socketId, c.from, c.priority, c.useCandidate, now, undefined);
}

function actOnCheck(
  core: AgentCore,
  socketId: string,
  from: TransportAddress,
  priority: number | undefined,
  useCandidate: boolean,
  now: number,
  boundLocal: Credentials | undefined,
): void {
  const local = core.localCandidates.find(
    (c) => c.socketId === socketId && c.type !== 'srflx' && c.type !== 'prflx',
  );
  if (!local) return;
  // RFC 8445 section 7.3.1.3: learn peer-reflexive candidates.
  let remote = core.remotes.find(from.address, from.port);
  if (!remote) {
    remote = core.remotes.learnPeerReflexive(from, priority, local);
    if (!remote) {
      core.stats.droppedPeerReflexive++;
      return;
    }
  }
  const pair = core.list.get(socketId, from.address, from.port) ?? core.formPair(local, remote);
  if (!pair) return;
  if (pair.boundLocal !== boundLocal) {
    pair.boundLocal = boundLocal;
    // A check in flight carries the other credentials: the next one carries these.
    if (pair.state === 'in-progress') pair.state = 'waiting';
  }
  pair.stats.requestsReceived++;
  pair.stats.responsesSent++;
  if (pair === core.selected) {
    core.consent.heard(now);
    maintainConsent(core, now, true);
  }
  applyCheckToPair(core, pair, useCandidate && !core.controlling, now);
}

/** RFC 8445 sections 7.3.1.4 (triggered checks) and 7.3.1.5 (nomination by the peer). */
function applyCheckToPair(core: AgentCore, pair: CandidatePair, useCandidate: boolean, now: number): void {
  if (core.lite) {
    // RFC 8445 section 7.3.1.5 for lite: the pair is valid once the peer checks it.
    pair.state = 'succeeded';
    if (useCandidate) {
      pair.nominated = true;
      core.select(pair, now);
    }
    return;
  }
  if (pair.state === 'succeeded') {
    if (useCandidate) {
      pair.nominated = true;
      core.select(pair, now);
    }
    return;
  }
  if (useCandidate) pair.nominateOnSuccess = true;
  // A pair in progress has its check cancelled and re-triggered (the cancelled transaction can
  // still succeed); any other state is triggered.
  pair.state = 'waiting';
  core.list.trigger(pair);
  if (core.nextCheckAt === undefined || core.nextCheckAt > now) core.nextCheckAt = now;
}
