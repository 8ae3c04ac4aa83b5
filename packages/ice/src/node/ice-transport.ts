import { randomBytes, randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { connect, type Socket as TcpSocket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { IceAgent } from '../agent/agent.js';
import { type IceCandidate, isLinkLocal } from '../agent/candidate.js';
import type {
  CandidatePairInfo,
  IceAgentEvent,
  IceAgentOptions,
  IceConnectionState,
  IceCredentials,
} from '../agent/types.js';
import { isMdnsName, MdnsResolver } from '../mdns/resolver.js';
import { canonicalIp, type TransportAddress } from '../stun/address.js';
import { StunMessageBuilder } from '../stun/builder.js';
import { StunClass, StunMethod } from '../stun/constants.js';
import { StunMessage } from '../stun/message.js';
import { StunRetransmitTimer } from '../stun/transaction.js';
import { splitStreamMessages } from '../turn/channel-data.js';
import { TurnClient } from '../turn/client.js';
import { type HostAddressOptions, listHostAddresses } from './host-addresses.js';
import { IceTcpSockets } from './ice-tcp.js';
import { bindUdp, type PortRange } from './udp-socket.js';

export interface StunServerConfig {
  readonly host: string;
  readonly port?: number;
}

export interface TurnServerConfig {
  readonly host: string;
  readonly port?: number;
  readonly username: string;
  readonly password: string;
  /** Control connection transport. Default 'udp'. */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** For 'tls': trusted CA certificates (PEM) beyond the system ones, and the name to verify. */
  readonly ca?: string | Buffer;
  readonly servername?: string;
  /** Relayed address family (REQUESTED-ADDRESS-FAMILY). Default 4. */
  readonly family?: 4 | 6;
}

export interface NodeIceTransportOptions
  extends Omit<IceAgentOptions, 'random' | 'relayOnly'>,
    HostAddressOptions {
  /** Nothing is contacted unless listed here. */
  stunServers?: readonly StunServerConfig[];
  turnServers?: readonly TurnServerConfig[];
  portRange?: PortRange;
  /** `iceTransportPolicy: 'relay'`: only relay candidates are gathered and paired. */
  relayOnly?: boolean;
  /** How long gathering waits for STUN and TURN servers. Default 5000 ms. */
  gatherTimeoutMs?: number;
  /** Gather UDP host candidates. Default true. */
  udp?: boolean;
  /** Gather ICE-TCP host candidates, passive and active (RFC 6544). Default false. */
  tcp?: boolean;
  /** Signal host candidates as `<uuid>.local` names answered over multicast DNS. Default false. */
  mdnsHostnames?: boolean;
  /** Resolve remote `.local` candidates with multicast DNS (RFC 6762). Default true. */
  resolveMdns?: boolean;
}

const MDNS_GROUP = '224.0.0.251';
const MDNS_PORT = 5353;

export type NodeIceEvent = IceAgentEvent | { readonly type: 'gathering-complete' };

interface SrflxProbe {
  readonly socketId: string;
  readonly server: TransportAddress;
  readonly bytes: Buffer;
  readonly timer: StunRetransmitTimer;
  readonly resolve: () => void;
}

interface RelayState {
  readonly client: TurnClient;
  server: TransportAddress;
  readonly udp?: Socket;
  readonly tcp?: TcpSocket;
  tcpBuffer: Buffer;
  readonly done: () => void;
}

/**
 * The Node driver of an `IceAgent`: UDP sockets bound per host address, server-reflexive and
 * relay gathering from configured servers only, and one timer at the agent's next deadline.
 */
export class NodeIceTransport {
  readonly agent: IceAgent;
  /** Every mapped address a STUN server reported, including ones equal to their base. */
  readonly stunAnswers: {
    readonly socketId: string;
    readonly server: TransportAddress;
    readonly mapped: TransportAddress;
  }[] = [];
  private readonly sockets = new Map<string, Socket>();
  /** Interface of each socket bound to an IPv6 link-local address, to scope what it sends. */
  private readonly zones = new Map<string, string>();
  private readonly probes = new Map<string, SrflxProbe>();
  private readonly relays = new Map<string, RelayState>();
  private readonly listeners = new Set<(event: NodeIceEvent) => void>();
  private mdns: { resolver: MdnsResolver; socket: Socket } | undefined;
  private readonly tcp = new IceTcpSockets((socketId, from, data) => {
    if (this.closed) return;
    this.agent.handleDatagram(socketId, from, data, this.now());
    this.pump();
  });
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly t0 = performance.now();

  constructor(private readonly options: NodeIceTransportOptions) {
    this.agent = new IceAgent({ ...options, relayOnly: options.relayOnly ?? false });
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
    let index = 0;
    if (this.options.tcp && !this.options.relayOnly) {
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
    for (const host of this.options.udp === false ? [] : hosts) {
      const socketId = `udp${index++}`;
      let socket: Socket;
      try {
        // An IPv6 link-local address only means something with its interface (RFC 4007 zone).
        const scoped = host.family === 6 && isLinkLocal(host.address);
        socket = await bindUdp(
          scoped ? `${host.address}%${host.interfaceName}` : host.address,
          this.options.portRange,
        );
        if (scoped) this.zones.set(socketId, host.interfaceName);
      } catch {
        continue; // An address that cannot be bound (gone, or a full port range) gives no candidate.
      }
      if (this.closed) {
        socket.close();
        return;
      }
      this.sockets.set(socketId, socket);
      socket.on('message', (msg, rinfo) => this.onHostDatagram(socketId, msg, rinfo.address, rinfo.port));
      socket.on('error', () => {});
      const port = socket.address().port;
      if (!this.options.relayOnly) {
        this.agent.addLocalCandidate({ socketId, type: 'host', address: host.address, port });
        for (const server of this.options.stunServers ?? []) {
          waits.push(this.probeSrflx(socketId, host.address, server));
        }
      }
    }
    let relayIndex = 0;
    for (const server of this.options.turnServers ?? [])
      waits.push(this.allocateRelay(`turn${relayIndex++}`, server));
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
    const now = this.now();
    for (const r of this.relays.values()) {
      // The Refresh with lifetime 0 (RFC 8656 section 7.3) frees the relay at once; let it
      // leave before the socket goes.
      r.client.close(now);
      const goodbye = r.client.pollTransmit();
      const udp = r.udp;
      if (udp) {
        if (goodbye) udp.send(goodbye, r.server.port, r.server.address, () => udp.close());
        else udp.close();
      }
      if (r.tcp) {
        const tcp = r.tcp;
        if (goodbye && !tcp.destroyed) {
          tcp.end(goodbye);
          setTimeout(() => tcp.destroy(), 1000).unref();
        } else tcp.destroy();
      }
    }
    this.agent.close();
    this.pump();
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
    this.tcp.close();
    this.mdns?.socket.close();
    this.mdns = undefined;
    this.relays.clear();
    this.probes.clear();
  }

  private emit(event: NodeIceEvent): void {
    if (event.type === 'local-candidate' && this.options.mdnsHostnames) event = this.hideHostAddress(event);
    for (const l of this.listeners) l(event);
  }

  /**
   * draft-ietf-mmusic-mdns-ice-candidates section 3.1: host addresses are signalled as random
   * `<uuid>.local` names that we answer for, and srflx candidates do not reveal their base.
   */
  private hideHostAddress(event: Extract<NodeIceEvent, { type: 'local-candidate' }>): NodeIceEvent {
    const c = event.candidate;
    if (c.type === 'host') {
      let name = this.mdnsNames.get(c.address);
      if (!name) {
        name = `${randomUUID()}.local`;
        this.mdnsNames.set(c.address, name);
        this.ensureMdns().resolver.publish(name, c.address);
      }
      return { type: 'local-candidate', candidate: { ...c, address: name } };
    }
    if (c.type === 'srflx') {
      return { type: 'local-candidate', candidate: { ...c, relatedAddress: '0.0.0.0', relatedPort: 0 } };
    }
    return event;
  }

  private readonly mdnsNames = new Map<string, string>();

  private async resolve(host: string, family?: 4 | 6): Promise<string | undefined> {
    const ip = canonicalIp(host);
    if (ip) return ip;
    try {
      const r = await lookup(host, family ? { family } : {});
      return canonicalIp(r.address);
    } catch {
      return undefined;
    }
  }

  /** RFC 8445 section 5.1.1.2: a Binding request to the STUN server from the host socket. */
  private async probeSrflx(socketId: string, hostAddress: string, server: StunServerConfig): Promise<void> {
    const family = hostAddress.includes(':') ? 6 : 4;
    const address = await this.resolve(server.host, family);
    if (!address || address.includes(':') !== (family === 6) || this.closed) return;
    const target = { address, port: server.port ?? 3478 };
    await new Promise<void>((resolve) => {
      const tid = randomBytes(12);
      const bytes = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid).finish({
        fingerprint: true,
      });
      const probe: SrflxProbe = {
        socketId,
        server: target,
        bytes,
        timer: new StunRetransmitTimer(this.now()),
        resolve,
      };
      this.probes.set(tid.toString('latin1'), probe);
      this.sockets.get(socketId)?.send(bytes, target.port, target.address);
      this.pump();
    });
  }

  private onHostDatagram(socketId: string, msg: Buffer, address: string, port: number): void {
    if (this.closed) return;
    const from = { address: canonicalIp(address) ?? address, port };
    if (this.probes.size > 0 && msg.length >= 20 && msg[0]! < 4) {
      const probe = this.probes.get(msg.subarray(8, 20).toString('latin1'));
      if (probe) {
        this.onProbeResponse(probe, msg);
        return;
      }
    }
    this.agent.handleDatagram(socketId, from, msg, this.now());
    this.pump();
  }

  private onProbeResponse(probe: SrflxProbe, msg: Buffer): void {
    const parsed = StunMessage.tryParse(msg);
    if (!parsed || parsed.messageClass !== StunClass.SuccessResponse) return;
    this.probes.delete(parsed.transactionId.toString('latin1'));
    const mapped = parsed.xorMappedAddress();
    const socket = this.sockets.get(probe.socketId);
    if (mapped) this.stunAnswers.push({ socketId: probe.socketId, server: probe.server, mapped });
    if (mapped && socket) {
      const base = socket.address();
      const baseAddress = canonicalIp(base.address) ?? base.address;
      // RFC 8445 section 5.1.3: a srflx equal to its base is redundant.
      if (mapped.address !== baseAddress || mapped.port !== base.port) {
        this.agent.addLocalCandidate({
          socketId: probe.socketId,
          type: 'srflx',
          address: mapped.address,
          port: mapped.port,
          relatedAddress: baseAddress,
          relatedPort: base.port,
          server: `${probe.server.address}:${probe.server.port}`,
        });
      }
    }
    probe.resolve();
    this.pump();
  }

  /** RFC 8656: one allocation per configured TURN server, over UDP or TCP. */
  private async allocateRelay(socketId: string, server: TurnServerConfig): Promise<void> {
    const address = await this.resolve(server.host);
    if (!address || this.closed) return;
    const target = { address, port: server.port ?? 3478 };
    const transport = server.transport ?? 'udp';
    const client = new TurnClient({
      username: server.username,
      password: server.password,
      transport: transport === 'udp' ? 'udp' : 'tcp',
      ...(server.family ? { family: server.family } : {}),
    });
    await new Promise<void>((resolve) => {
      let settled = false;
      const done = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      if (transport === 'tcp' || transport === 'tls') {
        // RFC 8656 section 3.1: over TCP and TLS, STUN and ChannelData messages share one stream.
        const tcp =
          transport === 'tls'
            ? tlsConnect({
                host: target.address,
                port: target.port,
                ...(server.servername ? { servername: server.servername } : {}),
                ...(server.ca ? { ca: server.ca } : {}),
              })
            : connect({ host: target.address, port: target.port });
        const state: RelayState = { client, server: target, tcp, tcpBuffer: Buffer.alloc(0), done };
        this.relays.set(socketId, state);
        tcp.on(transport === 'tls' ? 'secureConnect' : 'connect', () => {
          client.start(this.now());
          this.pump();
        });
        tcp.on('data', (chunk) => this.onTcpData(socketId, chunk));
        tcp.on('error', done);
        tcp.on('close', done);
        return;
      }
      void bindUdp(address.includes(':') ? '::' : '0.0.0.0').then((udp) => {
        if (this.closed) {
          udp.close();
          done();
          return;
        }
        const state: RelayState = { client, server: target, udp, tcpBuffer: Buffer.alloc(0), done };
        this.relays.set(socketId, state);
        udp.on('message', (msg) => {
          if (this.closed) return;
          client.handleIncoming(msg, this.now());
          this.pump();
        });
        udp.on('error', () => {});
        client.start(this.now());
        this.pump();
      }, done);
    });
  }

  private onTcpData(socketId: string, chunk: Buffer): void {
    const state = this.relays.get(socketId);
    if (!state || this.closed) return;
    state.tcpBuffer = state.tcpBuffer.length ? Buffer.concat([state.tcpBuffer, chunk]) : chunk;
    const { messages, consumed, error } = splitStreamMessages(state.tcpBuffer);
    const now = this.now();
    for (const m of messages) state.client.handleIncoming(m, now);
    state.tcpBuffer = state.tcpBuffer.subarray(consumed);
    if (error) state.tcp?.destroy();
    this.pump();
  }

  private flushRelay(r: RelayState): void {
    for (let b = r.client.pollTransmit(); b; b = r.client.pollTransmit()) {
      if (r.udp) r.udp.send(b, r.server.port, r.server.address);
      else if (r.tcp && !r.tcp.destroyed) r.tcp.write(b);
    }
  }

  /** Moves every queued output to its socket, routes relay events, and re-arms the one timer. */
  private pump(): void {
    if (this.closed && this.relays.size === 0 && this.sockets.size === 0) return;
    const now = this.now();
    for (let progress = true; progress; ) {
      progress = false;
      for (let t = this.agent.pollTransmit(); t; t = this.agent.pollTransmit()) {
        const relay = this.relays.get(t.socketId);
        if (relay) relay.client.send(t.destination, t.data, now);
        else if (this.tcp.handles(t.socketId)) this.tcp.send(t.socketId, t.destination, t.data);
        else {
          const zone = this.zones.get(t.socketId);
          const to =
            zone && isLinkLocal(t.destination.address)
              ? `${t.destination.address}%${zone}`
              : t.destination.address;
          this.sockets.get(t.socketId)?.send(t.data, t.destination.port, to);
        }
      }
      for (const [socketId, r] of this.relays) {
        this.flushRelay(r);
        for (let e = r.client.pollEvent(); e; e = r.client.pollEvent()) {
          progress = true;
          if (e.type === 'allocated') {
            this.agent.addLocalCandidate({
              socketId,
              type: 'relay',
              address: e.relayed.address,
              port: e.relayed.port,
              relatedAddress: e.mapped?.address ?? '0.0.0.0',
              relatedPort: e.mapped?.port ?? 0,
              server: `${r.server.address}:${r.server.port}`,
            });
            r.done();
          } else if (e.type === 'failed') {
            r.done();
          } else if (e.type === 'redirect') {
            // Only a UDP control channel can move; a stream would need a new connection.
            if (r.udp && e.server.address.includes(':') === r.server.address.includes(':')) {
              r.server = e.server;
              r.client.start(now);
            } else r.done();
          } else {
            this.agent.handleDatagram(socketId, e.peer, e.data, now);
          }
        }
      }
      for (let e = this.agent.pollEvent(); e; e = this.agent.pollEvent()) {
        if (e.type === 'resolve-address') this.resolveRemote(e.name);
        this.emit(e);
      }
      if (this.mdns) {
        for (let b = this.mdns.resolver.pollTransmit(); b; b = this.mdns.resolver.pollTransmit()) {
          this.mdns.socket.send(b, MDNS_PORT, MDNS_GROUP);
        }
        for (let e = this.mdns.resolver.pollEvent(); e; e = this.mdns.resolver.pollEvent()) {
          progress = true;
          this.agent.resolveRemoteAddress(e.name, e.type === 'resolved' ? e.addresses : []);
        }
      }
    }
    this.arm();
  }

  /** Remote candidates naming a host: mDNS for `.local`, the system resolver otherwise. */
  private resolveRemote(name: string): void {
    if (!isMdnsName(name)) {
      void lookup(name, { all: true }).then(
        (all) => {
          if (this.closed) return;
          this.agent.resolveRemoteAddress(
            name,
            all.map((a) => canonicalIp(a.address) ?? a.address),
          );
          this.pump();
        },
        () => {
          if (this.closed) return;
          this.agent.resolveRemoteAddress(name, []);
          this.pump();
        },
      );
      return;
    }
    if (this.options.resolveMdns === false) {
      this.agent.resolveRemoteAddress(name, []);
      return;
    }
    this.ensureMdns().resolver.resolve(name, this.now());
  }

  private ensureMdns(): { resolver: MdnsResolver; socket: Socket } {
    if (!this.mdns) {
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      const resolver = new MdnsResolver();
      this.mdns = { resolver, socket };
      socket.on('error', () => {});
      socket.on('message', (msg) => {
        if (this.closed) return;
        resolver.handleMessage(msg, this.now());
        this.pump();
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

  private nextDeadline(): number | undefined {
    let next = this.agent.nextDeadline() ?? Number.POSITIVE_INFINITY;
    next = Math.min(next, this.mdns?.resolver.nextDeadline() ?? next);
    for (const r of this.relays.values()) next = Math.min(next, r.client.nextDeadline() ?? next);
    for (const p of this.probes.values()) next = Math.min(next, p.timer.deadline);
    return Number.isFinite(next) ? next : undefined;
  }

  private arm(): void {
    if (this.closed) return;
    const at = this.nextDeadline();
    if (at === undefined) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer && at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, at - this.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.closed) return;
    const now = this.now();
    this.agent.handleTimeout(now);
    for (const r of this.relays.values()) r.client.handleTimeout(now);
    this.mdns?.resolver.handleTimeout(now);
    for (const [id, p] of this.probes) {
      const verdict = p.timer.poll(now);
      if (verdict === 'retransmit')
        this.sockets.get(p.socketId)?.send(p.bytes, p.server.port, p.server.address);
      else if (verdict === 'timeout') {
        this.probes.delete(id);
        p.resolve();
      }
    }
    this.pump();
  }
}
