import { addressFamily } from '../stun/address.js';
import { type IceCandidate, isLinkLocal } from './candidate.js';
import { byPriorityDescending, CandidatePair, pairKey } from './pair.js';
import type { LocalCandidate } from './types.js';

/**
 * The check list of one data stream (RFC 8445 section 6.1.2), ordered by pair priority, with
 * its triggered-check queue (section 6.1.4.1), bounded to `maxPairs`.
 */
export class CheckList {
  pairs: CandidatePair[] = [];
  readonly byKey = new Map<string, CandidatePair>();
  readonly triggered: CandidatePair[] = [];
  dropped = 0;
  /** When the last ordinary or triggered check went out: the next waits Ta after it (RFC 8445 14.2). */
  lastCheckAt: number | undefined;

  constructor(
    private readonly maxPairs: number,
    private readonly relayOnly: boolean,
  ) {}

  get(socketId: string, address: string, port: number): CandidatePair | undefined {
    return this.byKey.get(pairKey(socketId, address, port));
  }

  /**
   * RFC 8445 section 6.1.2.2 (pairing) and 6.1.2.4 (a srflx is replaced by its base, so it is
   * never paired). Returns the pair, an existing one, or undefined when they do not pair or the
   * list is full of pairs in use.
   */
  form(
    local: LocalCandidate,
    remote: IceCandidate,
    controlling: boolean,
    keep: CandidatePair | undefined,
  ): CandidatePair | undefined {
    if (local.type === 'srflx' || local.type === 'prflx') return undefined;
    if (this.relayOnly && local.type !== 'relay') return undefined;
    if (local.transport !== remote.transport || local.component !== remote.component) return undefined;
    if (local.transport === 'tcp' && !tcpTypesPair(local, remote)) return undefined;
    if (addressFamily(local.address) !== addressFamily(remote.address)) return undefined;
    if (local.type === 'host' && isLinkLocal(local.address) !== isLinkLocal(remote.address)) return undefined;
    const existing = this.get(local.socketId, remote.address, remote.port);
    if (existing) return existing;
    const pair = new CandidatePair(local, remote, controlling);
    // RFC 8445 section 6.1.2.6: one pair per foundation starts Waiting, the rest Frozen.
    const foundationActive = this.pairs.some((p) => p.foundation === pair.foundation && p.state !== 'frozen');
    pair.state = foundationActive ? 'frozen' : 'waiting';
    this.pairs.push(pair);
    this.byKey.set(pair.key, pair);
    this.sort();
    this.enforceLimit(keep);
    return this.byKey.has(pair.key) ? pair : undefined;
  }

  sort(): void {
    this.pairs.sort(byPriorityDescending);
  }

  updatePriorities(controlling: boolean): void {
    for (const p of this.pairs) p.updatePriority(controlling);
    this.sort();
  }

  trigger(pair: CandidatePair): void {
    if (!this.triggered.includes(pair)) this.triggered.push(pair);
  }

  clear(): void {
    this.pairs = [];
    this.byKey.clear();
    this.triggered.length = 0;
  }

  /** RFC 8445 section 6.1.4.2: the triggered queue first, then the best Waiting pair, else unfreeze one. */
  next(ordinaryChecks: boolean): CandidatePair | undefined {
    this.dropSucceededTriggers();
    const triggered = this.triggered.shift();
    if (triggered || !ordinaryChecks) return triggered;
    const waiting = this.pairs.find((p) => p.state === 'waiting');
    if (waiting) return waiting;
    const frozen = this.pairs.find((p) => p.state === 'frozen');
    if (frozen) frozen.state = 'waiting';
    return frozen;
  }

  hasWork(ordinaryChecks: boolean): boolean {
    this.dropSucceededTriggers();
    if (this.triggered.length > 0) return true;
    return ordinaryChecks && this.pairs.some((p) => p.state === 'waiting' || p.state === 'frozen');
  }

  /**
   * RFC 8445 section 7.3.1.4: a check on a Succeeded pair triggers nothing. A pair queued while
   * In-Progress whose earlier check then succeeded needs no new check either (unless it carries
   * our nomination): re-checking it would put it In-Progress again, so the peer's answer-check
   * would trigger one more, and two agents in lockstep would ping-pong forever.
   */
  private dropSucceededTriggers(): void {
    const q = this.triggered;
    for (let i = q.length - 1; i >= 0; i--) {
      const p = q[i]!;
      if (p.state === 'succeeded' && !p.nominating) q.splice(i, 1);
    }
  }

  /** RFC 8445 section 7.2.5.3.3. */
  unfreezeFoundation(foundation: string): void {
    for (const p of this.pairs) if (p.state === 'frozen' && p.foundation === foundation) p.state = 'waiting';
  }

  /** RFC 8445 section 6.1.2.5: drop the lowest-priority pairs that are not in use. */
  private enforceLimit(keep: CandidatePair | undefined): void {
    while (this.pairs.length > this.maxPairs) {
      let victim = -1;
      for (let i = this.pairs.length - 1; i >= 0; i--) {
        const p = this.pairs[i]!;
        if (p !== keep && (p.state === 'frozen' || p.state === 'waiting' || p.state === 'failed')) {
          victim = i;
          break;
        }
      }
      if (victim < 0) return;
      const [removed] = this.pairs.splice(victim, 1);
      this.byKey.delete(removed!.key);
      const t = this.triggered.indexOf(removed!);
      if (t >= 0) this.triggered.splice(t, 1);
      this.dropped++;
    }
  }
}

/**
 * RFC 6544 section 6.2: active pairs with passive, simultaneous-open with itself. A passive
 * local candidate only pairs with an active remote we learned from its incoming connection.
 */
function tcpTypesPair(local: LocalCandidate, remote: IceCandidate): boolean {
  if (local.tcpType === 'active') return remote.tcpType === 'passive';
  if (local.tcpType === 'passive') return remote.tcpType === 'active' && remote.type === 'prflx';
  return remote.tcpType === 'so';
}
