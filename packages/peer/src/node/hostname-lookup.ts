import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';
import { canonicalIp, isMdnsName, MdnsResolver } from '@purertc/ice';

// RFC 6762 3: the mDNS groups and port.
const MDNS_GROUP_V4 = '224.0.0.251';
const MDNS_GROUP_V6 = 'ff02::fb';
const MDNS_PORT = 5353;

export interface HostnameLookupOptions {
  /** Multicast DNS over 224.0.0.251 (default true). */
  readonly ipv4?: boolean;
  /** Multicast DNS over ff02::fb on every interface with an IPv6 address (default true). */
  readonly ipv6?: boolean;
}

interface MdnsSockets {
  readonly resolver: MdnsResolver;
  readonly v4?: Socket;
  /** ff02::fb is link-scoped (RFC 4007 zones): joined and sent to once per interface. */
  readonly v6?: { readonly socket: Socket; readonly interfaces: readonly string[] };
}

/** Interfaces with an IPv6 address: the links where ff02::fb is joined. */
function ipv6Interfaces(): string[] {
  return Object.entries(networkInterfaces())
    .filter(([, infos]) => (infos ?? []).some((i) => i.family === 'IPv6'))
    .map(([name]) => name);
}

/**
 * Resolves the host names remote candidates may carry: `<uuid>.local` over multicast DNS
 * (draft-ietf-mmusic-mdns-ice-candidates, RFC 6762, sans-I/O resolver from the ice package) on
 * 224.0.0.251 and ff02::fb alike (a browser may answer on either; A and AAAA records), anything
 * else with the system resolver. Never rejects: a name that does not resolve gives [].
 */
export class HostnameLookup {
  #mdns: MdnsSockets | undefined;
  readonly #options: HostnameLookupOptions;
  #timer: NodeJS.Timeout | undefined;
  readonly #waiting = new Map<string, ((addresses: string[]) => void)[]>();
  #closed = false;

  constructor(options: HostnameLookupOptions = {}) {
    this.#options = options;
  }

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
    this.#mdns?.v4?.close();
    this.#mdns?.v6?.socket.close();
    this.#mdns = undefined;
    for (const key of [...this.#waiting.keys()]) this.#finish(key, []);
  }

  #finish(key: string, addresses: string[]): void {
    const list = this.#waiting.get(key) ?? [];
    this.#waiting.delete(key);
    for (const r of list) r(addresses);
  }

  #ensure(): MdnsSockets {
    if (this.#mdns) return this.#mdns;
    const resolver = new MdnsResolver();
    const v4 = this.#options.ipv4 === false ? undefined : this.#open(resolver, 'udp4', [undefined]);
    const interfaces = this.#options.ipv6 === false ? [] : ipv6Interfaces();
    const v6 =
      interfaces.length > 0
        ? {
            socket: this.#open(
              resolver,
              'udp6',
              interfaces.map((i) => `::%${i}`),
            ),
            interfaces,
          }
        : undefined;
    this.#mdns = { resolver, ...(v4 ? { v4 } : {}), ...(v6 ? { v6 } : {}) };
    return this.#mdns;
  }

  /** A socket on port 5353, shared with other responders on this host, in the group. */
  #open(resolver: MdnsResolver, type: 'udp4' | 'udp6', memberships: readonly (string | undefined)[]): Socket {
    const group = type === 'udp4' ? MDNS_GROUP_V4 : MDNS_GROUP_V6;
    const socket = createSocket({ type, reuseAddr: true, ...(type === 'udp6' ? { ipv6Only: true } : {}) });
    socket.on('error', () => {});
    socket.on('message', (msg) => {
      if (this.#closed) return;
      resolver.handleMessage(msg, performance.now());
      this.#pump();
    });
    socket.bind(MDNS_PORT, () => {
      for (const via of memberships) {
        try {
          socket.addMembership(group, via);
        } catch {
          // No multicast route: queries still go out; answers may not come back.
        }
      }
    });
    socket.unref();
    return socket;
  }

  #pump(): void {
    const mdns = this.#mdns;
    if (!mdns || this.#closed) return;
    for (let b = mdns.resolver.pollTransmit(); b; b = mdns.resolver.pollTransmit()) {
      // Queries and answers go out on both families: the other side may listen on either group.
      mdns.v4?.send(b, MDNS_PORT, MDNS_GROUP_V4, () => {});
      for (const name of mdns.v6?.interfaces ?? []) {
        mdns.v6?.socket.send(b, MDNS_PORT, `${MDNS_GROUP_V6}%${name}`, () => {});
      }
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
