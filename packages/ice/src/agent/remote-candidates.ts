import type { TransportAddress } from '../stun/address.js';
import { candidatePriority, type IceCandidate } from './candidate.js';
import type { LocalCandidate } from './types.js';

export type RemoteAddResult =
  | { readonly kind: 'added'; readonly candidate: IceCandidate }
  | { readonly kind: 'replaced'; readonly previous: IceCandidate; readonly candidate: IceCandidate }
  | { readonly kind: 'known' }
  | { readonly kind: 'full' };

/**
 * The remote candidates of the current generation: signalled ones, peer-reflexive ones learned
 * from checks (RFC 8445 section 7.3.1.3), and named ones waiting for resolution. Bounded so a
 * flood of checks from distinct addresses cannot grow memory.
 */
export class RemoteCandidateSet {
  readonly list: IceCandidate[] = [];
  private unresolved: IceCandidate[] = [];
  private prflxCount = 0;

  constructor(
    private readonly maxRemote: number,
    private readonly maxPeerReflexive: number,
    private readonly maxUnresolved = 16,
  ) {}

  get hasUnresolved(): boolean {
    return this.unresolved.length > 0;
  }

  find(address: string, port: number): IceCandidate | undefined {
    return this.list.find((c) => c.port === port && c.address === address);
  }

  add(c: IceCandidate): RemoteAddResult {
    const existing = this.find(c.address, c.port);
    if (existing) {
      if (existing.type !== 'prflx') return { kind: 'known' };
      // RFC 8445 section 7.3.1.3: the signalled candidate replaces the peer-reflexive one.
      this.list[this.list.indexOf(existing)] = c;
      this.prflxCount--;
      return { kind: 'replaced', previous: existing, candidate: c };
    }
    if (this.list.length >= this.maxRemote) return { kind: 'full' };
    this.list.push(c);
    return { kind: 'added', candidate: c };
  }

  /**
   * RFC 8445 section 7.3.1.3: a check from an unknown address reveals a peer-reflexive candidate
   * with the PRIORITY the check carried. Undefined when the bounds are reached.
   */
  learnPeerReflexive(
    from: TransportAddress,
    priority: number | undefined,
    local: LocalCandidate,
  ): IceCandidate | undefined {
    if (this.prflxCount >= this.maxPeerReflexive || this.list.length >= this.maxRemote) return undefined;
    const remote = {
      foundation: `p${this.prflxCount + 1}`,
      component: 1,
      transport: local.transport,
      priority: priority ?? candidatePriority('prflx', 0xffff),
      address: from.address,
      port: from.port,
      type: 'prflx',
      // RFC 6544 section 7.2: a check arriving on a passive socket came from an active candidate.
      ...(local.transport === 'tcp' ? { tcpType: local.tcpType === 'passive' ? 'active' : 'so' } : {}),
    } as IceCandidate;
    this.prflxCount++;
    this.list.push(remote);
    return remote;
  }

  /** Keeps a candidate whose address is a name; true when the name needs resolving now. */
  defer(c: IceCandidate): { accepted: boolean; resolveName: boolean } {
    if (this.unresolved.length >= this.maxUnresolved) return { accepted: false, resolveName: false };
    const known = this.unresolved.some((u) => u.address === c.address);
    this.unresolved.push(c);
    return { accepted: true, resolveName: !known };
  }

  /** The candidates that were waiting for `name`, no longer waiting. */
  takeUnresolved(name: string): IceCandidate[] {
    const waiting = this.unresolved.filter((c) => c.address === name);
    this.unresolved = this.unresolved.filter((c) => c.address !== name);
    return waiting;
  }

  clear(): void {
    this.list.length = 0;
    this.unresolved = [];
    this.prflxCount = 0;
  }
}
