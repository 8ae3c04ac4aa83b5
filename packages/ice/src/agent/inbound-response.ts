import { sameTransportAddress, type TransportAddress } from '../stun/address.js';
import { StunClass, StunErrorCode } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import type { AgentCore } from './agent-core.js';
import type { CandidatePair } from './pair.js';
import type { Transaction } from './transactions.js';

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
    learnLocalPeerReflexive(core, pair, mapped, tx);
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
 * RFC 8445 section 7.2.5.3.1: a mapped address that is none of our candidates is a
 * peer-reflexive local candidate. It is not signalled and sends through the same socket, so
 * the pair that found it stays the one that carries traffic; it is kept for stats.
 */
function learnLocalPeerReflexive(
  core: AgentCore,
  pair: CandidatePair,
  mapped: TransportAddress,
  tx: Transaction,
): void {
  if (pair.local.type === 'relay') return;
  const known = core.localCandidates.some((c) => c.address === mapped.address && c.port === mapped.port);
  if (known || core.localCandidates.length >= 64) return;
  core.localCandidates.push({
    socketId: pair.local.socketId,
    foundation: `${pair.local.foundation}p`,
    component: 1,
    transport: pair.local.transport,
    priority: tx.priority,
    address: mapped.address,
    port: mapped.port,
    type: 'prflx',
    relatedAddress: pair.local.address,
    relatedPort: pair.local.port,
    ufrag: core.local.ufrag,
  });
}
