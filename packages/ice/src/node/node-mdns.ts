import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { MdnsResolver } from '../mdns/resolver.js';
import type { DriverContext } from './driver-context.js';
import type { HostAddressOptions } from './host-addresses.js';
import type { NodeIceEvent } from './transport-options.js';

// RFC 6762 section 3: the mDNS groups and port.
const MDNS_GROUP_V4 = '224.0.0.251';
const MDNS_GROUP_V6 = 'ff02::fb';
const MDNS_PORT = 5353;

interface MdnsState {
  readonly resolver: MdnsResolver;
  readonly v4?: Socket;
  /** ff02::fb is link-scoped: joined and sent to once per interface (RFC 4007 zone). */
  readonly v6?: { readonly socket: Socket; readonly interfaces: readonly string[] };
}

type LocalCandidateEvent = Extract<NodeIceEvent, { type: 'local-candidate' }>;

/**
 * Multicast DNS for the driver: publishes our host candidates under random `.local` names and
 * resolves the remote `.local` names the agent asks about, over 224.0.0.251 and ff02::fb
 * (RFC 6762 section 3), A and AAAA alike. The sockets open on first use.
 */
export class NodeMdns {
  private mdns: MdnsState | undefined;
  /** Our host address -> the name it is signalled as. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly ctx: DriverContext,
    private readonly options: { readonly resolveMdns?: boolean } & HostAddressOptions,
  ) {}

  /**
   * draft-ietf-mmusic-mdns-ice-candidates section 3.1: host addresses are signalled as random
   * `<uuid>.local` names that we answer for, and srflx candidates do not reveal their base.
   */
  hideHostAddress(event: LocalCandidateEvent): NodeIceEvent {
    const c = event.candidate;
    if (c.type === 'host') {
      let name = this.names.get(c.address);
      if (!name) {
        name = `${randomUUID()}.local`;
        this.names.set(c.address, name);
        this.ensure().resolver.publish(name, c.address);
      }
      return { type: 'local-candidate', candidate: { ...c, address: name } };
    }
    if (c.type === 'srflx') {
      return { type: 'local-candidate', candidate: { ...c, relatedAddress: '0.0.0.0', relatedPort: 0 } };
    }
    return event;
  }

  /** Asks the network for a remote `.local` name; the agent hears the answer through `poll`. */
  resolve(name: string): void {
    if (this.options.resolveMdns === false) {
      this.ctx.agent.resolveRemoteAddress(name, []);
      return;
    }
    this.ensure().resolver.resolve(name, this.ctx.now());
  }

  /** Sends queued queries and answers; true when a name resolved (or failed) for the agent. */
  poll(): boolean {
    if (!this.mdns) return false;
    let progress = false;
    const { resolver, v4, v6 } = this.mdns;
    for (let b = resolver.pollTransmit(); b; b = resolver.pollTransmit()) {
      // Queries and answers go out on both families: a peer may listen on either group.
      v4?.send(b, MDNS_PORT, MDNS_GROUP_V4);
      for (const name of v6?.interfaces ?? []) v6?.socket.send(b, MDNS_PORT, `${MDNS_GROUP_V6}%${name}`);
    }
    for (let e = resolver.pollEvent(); e; e = resolver.pollEvent()) {
      progress = true;
      this.ctx.agent.resolveRemoteAddress(e.name, e.type === 'resolved' ? e.addresses : []);
    }
    return progress;
  }

  handleTimeout(now: number): void {
    this.mdns?.resolver.handleTimeout(now);
  }

  nextDeadline(): number | undefined {
    return this.mdns?.resolver.nextDeadline();
  }

  close(): void {
    this.mdns?.v4?.close();
    this.mdns?.v6?.socket.close();
    this.mdns = undefined;
  }

  private ensure(): MdnsState {
    if (this.mdns) return this.mdns;
    const resolver = new MdnsResolver();
    // A transport told not to use a family sends no multicast on it either.
    const v4 = this.options.ipv4 === false ? undefined : this.openSocket(resolver, 'udp4', [undefined]);
    const interfaces = this.options.ipv6 === false ? [] : this.ipv6Interfaces();
    const v6 =
      interfaces.length > 0
        ? {
            socket: this.openSocket(
              resolver,
              'udp6',
              interfaces.map((i) => `::%${i}`),
            ),
            interfaces,
          }
        : undefined;
    this.mdns = { resolver, ...(v4 ? { v4 } : {}), ...(v6 ? { v6 } : {}) };
    return this.mdns;
  }

  /** A socket on port 5353, shared with other responders on this host, in the group. */
  private openSocket(
    resolver: MdnsResolver,
    type: 'udp4' | 'udp6',
    memberships: readonly (string | undefined)[],
  ): Socket {
    const group = type === 'udp4' ? MDNS_GROUP_V4 : MDNS_GROUP_V6;
    const socket = createSocket({ type, reuseAddr: true, ...(type === 'udp6' ? { ipv6Only: true } : {}) });
    socket.on('error', () => {});
    socket.on('message', (msg) => {
      if (this.ctx.isClosed()) return;
      resolver.handleMessage(msg, this.ctx.now());
      this.ctx.pump();
    });
    socket.bind(MDNS_PORT, () => {
      for (const via of memberships) {
        try {
          socket.addMembership(group, via);
        } catch {
          // No multicast route: queries still go out, answers may not come back.
        }
      }
    });
    return socket;
  }

  /**
   * Interfaces with an IPv6 address (kept by the host address filter, if any): the links where
   * the IPv6 group is joined, so names are published and resolved wherever IPv6 host candidates
   * can live.
   */
  private ipv6Interfaces(): string[] {
    const out: string[] = [];
    for (const [name, infos] of Object.entries(networkInterfaces())) {
      const v6 = (infos ?? []).filter((i) => i.address.includes(':'));
      const filter = this.options.filter;
      if (v6.some((i) => !filter || filter(name, i.address))) out.push(name);
    }
    return out;
  }
}
