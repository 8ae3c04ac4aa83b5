import { type TransportAddress, transportAddressKey } from '../stun/address.js';
import { stunRequestUfrag } from '../stun/message.js';

/**
 * Routes datagrams arriving on one shared socket to the agent they belong to (ARCHITECTURE.md
 * "many peers on one UDP port"): connectivity checks by the ufrag in USERNAME (RFC 8445
 * section 7.2.2), then everything else (responses, DTLS, SRTP) by the remote address that
 * checked in. The address table is bounded; the oldest entries go first.
 */
export class IceDemux<T> {
  private readonly byUfrag = new Map<string, T>();
  private readonly byAddress = new Map<string, T>();

  constructor(private readonly maxAddresses = 4096) {}

  register(ufrag: string, target: T): void {
    this.byUfrag.set(ufrag, target);
  }

  /** Forgets a ufrag and every address that was routed to its target. */
  unregister(ufrag: string): void {
    const target = this.byUfrag.get(ufrag);
    this.byUfrag.delete(ufrag);
    if (target === undefined) return;
    for (const [key, t] of this.byAddress) if (t === target) this.byAddress.delete(key);
  }

  route(bytes: Uint8Array, from: TransportAddress): T | undefined {
    const key = transportAddressKey(from);
    const ufrag = bytes.length > 0 && bytes[0]! < 4 ? stunRequestUfrag(bytes) : undefined;
    if (ufrag !== undefined) {
      const target = this.byUfrag.get(ufrag);
      if (target === undefined) return undefined;
      this.learn(key, target);
      return target;
    }
    return this.byAddress.get(key);
  }

  private learn(key: string, target: T): void {
    if (this.byAddress.get(key) === target) return;
    this.byAddress.delete(key);
    if (this.byAddress.size >= this.maxAddresses) {
      const oldest = this.byAddress.keys().next();
      if (!oldest.done) this.byAddress.delete(oldest.value);
    }
    this.byAddress.set(key, target);
  }
}
