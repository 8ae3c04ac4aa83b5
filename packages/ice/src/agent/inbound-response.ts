import { sameTransportAddress, type TransportAddress } from '../stun/address.js';
import { StunClass, StunErrorCode } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import { type AgentCore, log } from './agent-core.js';
import type { CandidatePair } from './pair.js';
import type { Transaction } from './transactions.js';
import type { LocalCandidate } from './types.js';

/** RFC 8445 section 7.2.5: the answer to one of our checks or consent requests. */
export function handleBindingResponse(
  core: AgentCore,
  socketId: string,
  from: TransportAddress,
  msg: StunMessage,
  now: number,
): void {
  const tx = core.transactions.get(msg.transactionId);
  if (!tx) {
    core.stats.unknownTransaction++;
    return;
  }
  if (log.enabled)
    log(
      '%s response from %s:%d: class %d code %s',
      tx.kind,
      from.address,
      from.port,
      msg.messageClass,
      msg.errorCode()?.code,
    );
  // RFC 8445 section 7.2.5.1 / RFC 8489 section 6.3: responses must carry valid integrity.
  if (!msg.verifyIntegrity(tx.key)) {
    core.stats.unauthenticated++;
    return;
  }
  core.transactions.delete(tx);
  const pair = tx.pair;
  if (msg.messageClass === StunClass.ErrorResponse) {
    const code = msg.errorCode()?.code;
    if (code === StunErrorCode.RoleConflict && tx.kind === 'check') {
      // RFC 8445 section 7.2.5.1: switch role and check the pair again.
      core.stats.roleConflicts++;
      core.switchRole(!tx.controlling);
      pair.state = 'waiting';
      pair.nominating = false;
      core.list.trigger(pair);
      core.nextCheckAt = Math.min(core.nextCheckAt ?? now, now);
      return;
    }
    if (tx.kind === 'check') core.failPair(pair);
    return;
  }
  // RFC 8445 section 7.2.5.2.1: the response must come back symmetrically.
  if (socketId !== pair.local.socketId || !sameTransportAddress(from, pair.remote)) {
    if (tx.kind === 'check') core.failPair(pair);
    return;
  }
  recordResponse(pair, tx, now);
  if (pair === core.selected) core.consent.responded(now);
  if (tx.kind === 'consent') return;
  const mapped = msg.xorMappedAddress();
  if (mapped) {
    pair.mappedAddress = mapped;
    adoptMappedLocal(core, pair, mapped, tx);
  }
  const wasValid = pair.state === 'succeeded';
  pair.state = 'succeeded';
  if (!wasValid && core.firstValidAt === undefined) core.firstValidAt = now;
  core.list.unfreezeFoundation(pair.foundation);
  if (tx.useCandidate && core.controlling) {
    pair.nominated = true;
    pair.nominating = false;
    core.nominationDone = true;
    core.select(pair, now);
  } else if (!core.controlling && pair.nominateOnSuccess) {
    pair.nominated = true;
    core.select(pair, now);
  }
}

function recordResponse(pair: CandidatePair, tx: Transaction, now: number): void {
  pair.stats.responsesReceived++;
  // Karn's rule: only an answer to a request sent once measures the round trip.
  if (tx.transmissions === 1) {
    const rtt = now - tx.firstSentAt;
    pair.stats.currentRoundTripTimeMs = rtt;
    pair.stats.totalRoundTripTimeMs += rtt;
    pair.stats.roundTripTimeMeasurements++;
  }
}

/**
 * RFC 8445 sections 7.2.5.3.1 and 7.2.5.3.2: the valid pair's local candidate is the one whose
 * address is the mapped address: the host itself without NAT, our srflx when the NAT mapped this
 * check as it did for the STUN server, otherwise a new peer-reflexive candidate (never signalled).
 * All of them send through the same socket, so the pair keeps its socket and remote and takes
 * that candidate as its local one: stats and the selected pair show what the peer sees.
 */
function adoptMappedLocal(
  core: AgentCore,
  pair: CandidatePair,
  mapped: TransportAddress,
  tx: Transaction,
): void {
  const base = pair.local;
  // A relay's mapped address is the relay itself, as the peer sees it.
  if (base.type === 'relay' || sameTransportAddress(base, mapped)) return;
  const socketId = base.socketId;
  let local = core.localCandidates.find(
    (c) => c.socketId === socketId && c.address === mapped.address && c.port === mapped.port,
  );
  if (!local) {
    if (core.localCandidates.length >= 64) return;
    local = {
      socketId,
      foundation: `${base.foundation}p`,
      component: 1,
      transport: base.transport,
      priority: tx.priority,
      address: mapped.address,
      port: mapped.port,
      type: 'prflx',
      relatedAddress: base.relatedAddress ?? base.address,
      relatedPort: base.relatedPort ?? base.port,
      ...(base.tcpType !== undefined ? { tcpType: base.tcpType } : {}),
      ufrag: core.local.ufrag,
    };
    core.localCandidates.push(local);
  }
  if (local.type !== 'srflx' && local.type !== 'prflx') return;
  (pair as { local: LocalCandidate }).local = local;
  pair.updatePriority(core.controlling);
  core.list.sort();
}
