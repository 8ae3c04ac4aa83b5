import type { TransportAddress } from '../stun/address.js';

/** A check we answered before we knew the credentials of the generation its sender is in. */
export interface EarlyCheck {
  readonly senderUfrag: string;
  readonly socketId: string;
  readonly from: TransportAddress;
  readonly priority: number | undefined;
  readonly useCandidate: boolean;
}

/**
 * RFC 8445 section 7.3 (and 9 for restarts): a peer may check us before its description, or the
 * new credentials of its restart, reach us. We answer at once (our own credentials verified it),
 * but the USERNAME names a sender ufrag we cannot check back with yet: a triggered check now would
 * carry the peer's old ufrag to its new candidate, which only earns a 401, and learning the
 * address into the current generation pairs it with the wrong credentials. So the check waits here
 * until that ufrag becomes the remote one, then counts as if it arrived then.
 */
export class EarlyChecks {
  private readonly held: EarlyCheck[] = [];

  constructor(private readonly max: number) {}

  remember(check: EarlyCheck): void {
    const i = this.held.findIndex(
      (c) =>
        c.senderUfrag === check.senderUfrag &&
        c.socketId === check.socketId &&
        c.from.address === check.from.address &&
        c.from.port === check.from.port,
    );
    if (i >= 0) {
      // A nomination seen once stays seen (RFC 8445 section 7.3.1.5).
      const useCandidate = check.useCandidate || this.held[i]!.useCandidate;
      this.held[i] = { ...check, useCandidate };
      return;
    }
    // Bounded: a peer cannot grow this by inventing ufrags; the oldest is forgotten first.
    if (this.held.length >= this.max) this.held.shift();
    this.held.push(check);
  }

  /** The checks sent by `ufrag`'s generation, removed; checks of other generations are dropped. */
  takeFor(ufrag: string): EarlyCheck[] {
    const mine = this.held.filter((c) => c.senderUfrag === ufrag);
    this.held.length = 0;
    return mine;
  }

  get size(): number {
    return this.held.length;
  }
}
