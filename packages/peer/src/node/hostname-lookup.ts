import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import { canonicalIp, isMdnsName, MdnsResolver } from '@purertc/ice';

const MDNS_GROUP = '224.0.0.251';
const MDNS_PORT = 5353;

/**
 * Resolves the host names remote candidates may carry: `<uuid>.local` over multicast DNS
 * (draft-ietf-mmusic-mdns-ice-candidates, RFC 6762, sans-I/O resolver from the ice package),
 * anything else with the system resolver. Never rejects: a name that does not resolve gives [].
 */
export class HostnameLookup {
  #mdns: { resolver: MdnsResolver; socket: Socket } | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #waiting = new Map<string, ((addresses: string[]) => void)[]>();
  #closed = false;

  async resolve(name: string): Promise<string[]> {
    if (this.#closed) return [];
    if (!isMdnsName(name)) {
      try {
        const all = await lookup(name, { all: true });
        return all.map((a) => canonicalIp(a.address) ?? a.address);
      } catch {
        return [];
      }
    }
    const key = name.toLowerCase().replace(/\.$/, '');
    return new Promise((resolve) => {
      const list = this.#waiting.get(key) ?? [];
      list.push(resolve);
      this.#waiting.set(key, list);
      if (!this.#ensure().resolver.resolve(name, performance.now())) this.#finish(key, []);
      this.#pump();
    });
  }

  /** Answers multicast DNS queries for `name` with `address` (RFC 6762 6) until closed. */
  publish(name: string, address: string): void {
    if (this.#closed) return;
    this.#ensure().resolver.publish(name, address);
    this.#pump();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#mdns?.socket.close();
    this.#mdns = undefined;
    for (const key of [...this.#waiting.keys()]) this.#finish(key, []);
  }

  #finish(key: string, addresses: string[]): void {
    const list = this.#waiting.get(key) ?? [];
    this.#waiting.delete(key);
    for (const r of list) r(addresses);
  }

  #ensure(): { resolver: MdnsResolver; socket: Socket } {
    if (this.#mdns) return this.#mdns;
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const resolver = new MdnsResolver();
    this.#mdns = { resolver, socket };
    socket.on('error', () => {});
    socket.on('message', (msg) => {
      resolver.handleMessage(msg, performance.now());
      this.#pump();
    });
    socket.bind(MDNS_PORT, () => {
      try {
        socket.addMembership(MDNS_GROUP);
      } catch {
        // No multicast route: queries still go out; answers may not come back.
      }
    });
    socket.unref();
    return this.#mdns;
  }

  #pump(): void {
    const mdns = this.#mdns;
    if (!mdns || this.#closed) return;
    for (let b = mdns.resolver.pollTransmit(); b; b = mdns.resolver.pollTransmit()) {
      mdns.socket.send(b, MDNS_PORT, MDNS_GROUP, () => {});
    }
    for (let e = mdns.resolver.pollEvent(); e; e = mdns.resolver.pollEvent()) {
      this.#finish(e.name.toLowerCase().replace(/\.$/, ''), e.type === 'resolved' ? [...e.addresses] : []);
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const at = mdns.resolver.nextDeadline();
    if (at !== undefined) {
      this.#timer = setTimeout(
        () => {
          mdns.resolver.handleTimeout(performance.now());
          this.#pump();
        },
        Math.max(0, at - performance.now()),
      );
      this.#timer.unref();
    }
  }
}
