import type { TransportAddress } from '../stun/address.js';
import { StunErrorCode } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import type { AgentCore } from './agent-core.js';
import { buildSuccessResponse } from './checks.js';
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
  const verdict = checkRequest(msg, core.local, core.previousLocal);
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
  const conflict = resolveRoleConflict(core.controlling, core.tieBreaker, msg);
  if (conflict !== 'none') {
    core.stats.roleConflicts++;
    if (conflict === 'reject') {
      core.respondError(socketId, from, msg, StunErrorCode.RoleConflict, creds.key);
      return;
    }
    core.switchRole(!core.controlling);
  }
  core.transmits.push({
    socketId,
    destination: from,
    data: buildSuccessResponse(msg.transactionId, from, creds.key, core.software),
  });
  core.stats.responsesSent++;
  if (creds !== core.local || !core.remote) return; // answered; no check list for old or unknown peers
  // RFC 8445 section 7.3.1.3: learn peer-reflexive candidates.
  let remote = core.remotes.find(from.address, from.port);
  if (!remote) {
    remote = core.remotes.learnPeerReflexive(from, msg.priority(), local);
    if (!remote) {
      core.stats.droppedPeerReflexive++;
      return;
    }
  }
  const pair = core.list.get(socketId, from.address, from.port) ?? core.formPair(local, remote);
  if (!pair) return;
  pair.stats.requestsReceived++;
  if (pair === core.selected) core.consent.heard(now);
  pair.stats.responsesSent++;
  applyCheckToPair(core, pair, msg.useCandidate() && !core.controlling, now);
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
