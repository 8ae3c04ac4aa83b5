import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { MdnsResolver } from '../mdns/resolver.js';
import type { DriverContext } from './driver-context.js';
import type { NodeIceEvent } from './transport-options.js';

const MDNS_GROUP = '224.0.0.251';
const MDNS_PORT = 5353;

type LocalCandidateEvent = Extract<NodeIceEvent, { type: 'local-candidate' }>;

/**
 * Multicast DNS for the driver: publishes our host candidates under random `.local` names and
 * resolves the remote `.local` names the agent asks about. The socket opens on first use.
 */
export class NodeMdns {
  private mdns: { resolver: MdnsResolver; socket: Socket } | undefined;
  /** Our host address -> the name it is signalled as. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly ctx: DriverContext,
    private readonly options: { readonly resolveMdns?: boolean },
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
    for (let b = this.mdns.resolver.pollTransmit(); b; b = this.mdns.resolver.pollTransmit()) {
      this.mdns.socket.send(b, MDNS_PORT, MDNS_GROUP);
    }
    for (let e = this.mdns.resolver.pollEvent(); e; e = this.mdns.resolver.pollEvent()) {
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
    this.mdns?.socket.close();
    this.mdns = undefined;
  }

  private ensure(): { resolver: MdnsResolver; socket: Socket } {
    if (!this.mdns) {
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      const resolver = new MdnsResolver();
      this.mdns = { resolver, socket };
      socket.on('error', () => {});
      socket.on('message', (msg) => {
        if (this.ctx.isClosed()) return;
        resolver.handleMessage(msg, this.ctx.now());
        this.ctx.pump();
      });
      socket.bind(MDNS_PORT, () => {
        try {
          socket.addMembership(MDNS_GROUP);
        } catch {
          // No multicast route: queries still go out, answers may not come back.
        }
      });
    }
    return this.mdns;
  }
}
