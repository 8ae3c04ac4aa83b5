import { performance } from 'node:perf_hooks';
import { IceAgent } from '../agent/agent.js';
import type { IceCandidate } from '../agent/candidate.js';
import type { CandidatePairInfo, IceConnectionState, IceCredentials } from '../agent/types.js';
import { isMdnsName } from '../mdns/resolver.js';
import { canonicalIp, type TransportAddress } from '../stun/address.js';
import { DeadlineTimer } from './deadline-timer.js';
import { resolveCandidateName } from './dns-lookup.js';
import type { DriverContext } from './driver-context.js';
import { type HostAddress, listHostAddresses } from './host-addresses.js';
import { HostSockets } from './host-sockets.js';
import { IceTcpSockets } from './ice-tcp.js';
import { NodeMdns } from './node-mdns.js';
import { SrflxProbes } from './srflx-probes.js';
import type { NodeIceEvent, NodeIceTransportOptions } from './transport-options.js';
import { TurnRelays } from './turn-relays.js';

export type {
  NodeIceEvent,
  NodeIceTransportOptions,
  StunServerConfig,
  TurnServerConfig,
} from './transport-options.js';

/**
 * The Node driver of an `IceAgent`: UDP sockets bound per host address, server-reflexive and
 * relay gathering from configured servers only, and one timer at the agent's next deadline.
 * It coordinates the parts that own the sockets (host, ICE-TCP, STUN probes, TURN relays,
 * mDNS) and moves the agent's outputs between them.
 */
export class NodeIceTransport {
  readonly agent: IceAgent;
  /** Every mapped address a STUN server reported, including ones equal to their base. */
  readonly stunAnswers: {
    readonly socketId: string;
    readonly server: TransportAddress;
    readonly mapped: TransportAddress;
  }[] = [];
  private readonly listeners = new Set<(event: NodeIceEvent) => void>();
  private readonly hosts = new HostSockets();
  private readonly tcp: IceTcpSockets;
  private readonly probes: SrflxProbes;
  private readonly relays: TurnRelays;
  private readonly mdns: NodeMdns;
  private readonly ctx: DriverContext;
  private readonly timer = new DeadlineTimer(() => this.onTimer());
  private closed = false;
  private readonly t0 = performance.now();

  constructor(private readonly options: NodeIceTransportOptions) {
    this.agent = new IceAgent({ ...options, relayOnly: options.relayOnly ?? false });
    const ctx: DriverContext = {
      agent: this.agent,
      now: () => this.now(),
      isClosed: () => this.closed,
      pump: () => this.pump(),
    };
    this.ctx = ctx;
    this.tcp = new IceTcpSockets((socketId, from, data) => {
      if (this.closed) return;
      this.agent.handleDatagram(socketId, from, data, this.now());
      this.pump();
    });
    this.probes = new SrflxProbes(ctx, this.hosts, this.stunAnswers);
    this.relays = new TurnRelays(ctx);
    this.mdns = new NodeMdns(ctx, options);
  }

  on(listener: (event: NodeIceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): IceConnectionState {
    return this.agent.state;
  }
  get selectedPair(): CandidatePairInfo | undefined {
    return this.agent.selectedPair;
  }
  get localCredentials(): IceCredentials {
    return this.agent.localCredentials;
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  /** Gathers every candidate; resolves when all configured servers answered or timed out. */
  async gather(): Promise<void> {
    const waits: Promise<void>[] = [];
    const hosts = listHostAddresses(this.options);
    if (this.options.tcp && !this.options.relayOnly) {
      await this.gatherTcp(hosts);
      if (this.closed) return;
    }
    let index = 0;
    for (const host of this.options.udp === false ? [] : hosts) {
      const socketId = `udp${index++}`;
      const socket = await this.hosts.bind(socketId, host, this.options.portRange);
      if (!socket) continue;
      if (this.closed) {
        socket.close();
        return;
      }
      this.hosts.add(socketId, socket, (msg, from) =>
        this.onHostDatagram(socketId, msg, from.address, from.port),
      );
      const port = socket.address().port;
      if (!this.options.relayOnly) {
        this.agent.addLocalCandidate({ socketId, type: 'host', address: host.address, port });
        for (const server of this.options.stunServers ?? []) {
          waits.push(this.probes.probe(socketId, host.address, server));
        }
      }
    }
    let relayIndex = 0;
    for (const server of this.options.turnServers ?? [])
      waits.push(this.relays.allocate(`turn${relayIndex++}`, server));
    this.pump();
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, this.options.gatherTimeoutMs ?? 5000).unref(),
    );
    await Promise.race([Promise.all(waits), timeout]);
    if (this.closed) return;
    this.agent.endOfLocalCandidates();
    this.pump();
    this.emit({ type: 'gathering-complete' });
  }

  /** ICE-TCP host candidates (RFC 6544): a passive listener and an active one per address. */
  private async gatherTcp(hosts: readonly HostAddress[]): Promise<void> {
    let tcpIndex = 0;
    for (const host of hosts) {
      const passiveId = `tcp-passive${tcpIndex}`;
      const activeId = `tcp-active${tcpIndex++}`;
      let port: number;
      try {
        port = await this.tcp.listen(passiveId, host.address, this.options.portRange);
      } catch {
        continue; // An address we cannot listen on yields no TCP candidates; others still do.
      }
      if (this.closed) return;
      this.agent.addLocalCandidate({
        socketId: passiveId,
        type: 'host',
        transport: 'tcp',
        tcpType: 'passive',
        address: host.address,
        port,
      });
      this.tcp.registerActive(activeId, host.address);
      // RFC 6544 section 4.5: active candidates carry the discard port 9.
      this.agent.addLocalCandidate({
        socketId: activeId,
        type: 'host',
        transport: 'tcp',
        tcpType: 'active',
        address: host.address,
        port: 9,
      });
    }
  }

  setRemoteCredentials(credentials: IceCredentials): void {
    this.agent.setRemoteCredentials(credentials);
    this.pump();
  }

  addRemoteCandidate(candidate: IceCandidate | string): boolean {
    const ok = this.agent.addRemoteCandidate(candidate);
    this.pump();
    return ok;
  }

  endOfRemoteCandidates(): void {
    this.agent.endOfRemoteCandidates();
    this.pump();
  }

  send(data: Uint8Array): boolean {
    const ok = this.agent.send(data);
    this.pump();
    return ok;
  }

  /**
   * ICE restart: new credentials, the same sockets and relays, so every candidate is signalled
   * again at once and gathering completes immediately.
   */
  restart(credentials?: IceCredentials): IceCredentials {
    const c = this.agent.restart(credentials);
    this.agent.endOfLocalCandidates();
    this.pump();
    this.emit({ type: 'gathering-complete' });
    return c;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.relays.close(this.now());
    this.agent.close();
    this.pump();
    this.timer.clear();
    this.hosts.close();
    this.tcp.close();
    this.mdns.close();
    this.relays.clear();
    this.probes.clear();
  }

  private emit(event: NodeIceEvent): void {
    if (event.type === 'local-candidate' && this.options.mdnsHostnames)
      event = this.mdns.hideHostAddress(event);
    for (const l of this.listeners) l(event);
  }

  private onHostDatagram(socketId: string, msg: Buffer, address: string, port: number): void {
    if (this.closed) return;
    if (this.probes.consume(msg)) return;
    const from = { address: canonicalIp(address) ?? address, port };
    this.agent.handleDatagram(socketId, from, msg, this.now());
    this.pump();
  }

  /** Moves every queued output to its socket, routes relay events, and re-arms the one timer. */
  private pump(): void {
    if (this.closed && this.relays.size === 0 && this.hosts.size === 0) return;
    const now = this.now();
    for (let progress = true; progress; ) {
      progress = false;
      for (let t = this.agent.pollTransmit(); t; t = this.agent.pollTransmit()) {
        if (this.relays.send(t.socketId, t.destination, t.data, now)) continue;
        if (this.tcp.handles(t.socketId)) this.tcp.send(t.socketId, t.destination, t.data);
        else this.hosts.send(t.socketId, t.destination, t.data);
      }
      if (this.relays.poll(now)) progress = true;
      for (let e = this.agent.pollEvent(); e; e = this.agent.pollEvent()) {
        if (e.type === 'resolve-address') this.resolveRemote(e.name);
        this.emit(e);
      }
      if (this.mdns.poll()) progress = true;
    }
    if (!this.closed) this.timer.set(this.nextDeadline(), this.now());
  }

  /** Remote candidates naming a host: mDNS for `.local`, the system resolver otherwise. */
  private resolveRemote(name: string): void {
    if (isMdnsName(name)) this.mdns.resolve(name);
    else resolveCandidateName(this.ctx, name);
  }

  private nextDeadline(): number | undefined {
    let next = this.agent.nextDeadline() ?? Number.POSITIVE_INFINITY;
    for (const at of [this.mdns.nextDeadline(), this.relays.nextDeadline(), this.probes.nextDeadline()]) {
      if (at !== undefined) next = Math.min(next, at);
    }
    return Number.isFinite(next) ? next : undefined;
  }

  private onTimer(): void {
    if (this.closed) return;
    const now = this.now();
    this.agent.handleTimeout(now);
    this.relays.handleTimeout(now);
    this.mdns.handleTimeout(now);
    this.probes.handleTimeout(now);
    this.pump();
  }
}
