import type { StunIntegrityKey } from '../stun/integrity.js';
import type { CandidatePair } from './pair.js';

/** An outstanding connectivity-check or consent request. */
export interface Transaction {
  readonly id: Buffer;
  readonly pair: CandidatePair;
  readonly kind: 'check' | 'consent';
  readonly useCandidate: boolean;
  /** The role the request claimed, for RFC 8445 section 7.2.5.1 role-conflict handling. */
  readonly controlling: boolean;
  /** The PRIORITY the request carried: a peer-reflexive candidate it reveals gets this priority. */
  readonly priority: number;
  readonly bytes: Buffer;
  /** The remote password the request was signed with; the response must be signed with it too. */
  readonly key: StunIntegrityKey;
  transmissions: number;
  readonly firstSentAt: number;
  rto: number;
  nextAt: number;
  /** Superseded by a newer check on its pair: no more retransmissions, but a late answer still counts. */
  cancelled?: boolean;
}

/**
 * Outstanding requests keyed by transaction id, with their retransmission schedule: the
 * timeout doubles from `initialRtoMs` up to `maxRtoMs`, for at most `maxTransmissions` sends.
 */
export class TransactionTable {
  private readonly byId = new Map<string, Transaction>();

  constructor(
    private readonly maxRtoMs: number,
    private readonly maxTransmissions: number,
  ) {}

  add(tx: Transaction): void {
    this.byId.set(tx.id.toString('latin1'), tx);
  }

  get(id: Buffer): Transaction | undefined {
    return this.byId.get(id.toString('latin1'));
  }

  delete(tx: Transaction): void {
    this.byId.delete(tx.id.toString('latin1'));
  }

  removeWhere(predicate: (tx: Transaction) => boolean): void {
    for (const [id, tx] of this.byId) if (predicate(tx)) this.byId.delete(id);
  }

  /**
   * RFC 8445 section 7.3.1.4: stop retransmitting, and forget after one more timeout, while
   * still accepting a response.
   */
  cancelWhere(predicate: (tx: Transaction) => boolean): void {
    for (const tx of this.byId.values()) {
      if (tx.cancelled || !predicate(tx)) continue;
      tx.cancelled = true;
    }
  }

  clear(): void {
    this.byId.clear();
  }

  earliestDeadline(): number | undefined {
    let next: number | undefined;
    for (const tx of this.byId.values()) if (next === undefined || tx.nextAt < next) next = tx.nextAt;
    return next;
  }

  /** Advances the schedule to `now`: which requests to send again, which gave up. */
  poll(now: number): { resend: Transaction[]; expired: Transaction[] } {
    const resend: Transaction[] = [];
    const expired: Transaction[] = [];
    for (const [id, tx] of this.byId) {
      if (tx.nextAt > now) continue;
      if (tx.cancelled) {
        this.byId.delete(id);
        continue;
      }
      if (tx.transmissions >= this.maxTransmissions) {
        this.byId.delete(id);
        expired.push(tx);
        continue;
      }
      tx.transmissions++;
      tx.rto = Math.min(tx.rto * 2, this.maxRtoMs);
      tx.nextAt = now + tx.rto;
      resend.push(tx);
    }
    return { resend, expired };
  }
}
