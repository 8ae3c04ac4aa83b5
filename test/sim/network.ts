import { addressKey, type Datagram, type SimAddress } from './address.js';
import { EventQueue } from './event-queue.js';
import { Link, type LinkConfig } from './link.js';
import { type NatConfig, NatTable } from './nat.js';
import { SeededRandom } from './random.js';

/**
 * A virtual network with a virtual clock. Hosts sit either on the public "internet" realm or in
 * the private realm behind a NAT (NATs can nest). Each host and each NAT has an uplink and a
 * downlink, configured separately, between it and its realm's router. Nothing here touches real
 * time: `run*` jumps the clock from one event to the next, so a simulated minute takes
 * milliseconds and a seed fixes every random draw.
 */

export type ReceiveHandler = (datagram: Datagram, now: number) => void;

/** Something with timers: the sans-I/O endpoint the test drives, seen from the run loop. */
export interface SimTimerNode {
  /** Earliest virtual time at which `handleTimeout` must run, or undefined when idle. */
  nextDeadline(): number | undefined;
  handleTimeout(now: number): void;
}

export interface HostOptions {
  /** The host's address; more with `addresses`. */
  address: string;
  addresses?: readonly string[];
  /** Realm the host lives in: behind this NAT, or on the internet when absent. */
  behind?: SimNat;
  uplink?: LinkConfig;
  downlink?: LinkConfig;
}

export interface NatOptions extends NatConfig {
  behind?: SimNat;
  /** NAT public side to its realm's router. */
  uplink?: LinkConfig;
  /** Its realm's router to the NAT public side. */
  downlink?: LinkConfig;
}

export interface NetworkStats {
  /** Datagrams addressed to nobody in the realm they reached. */
  unroutable: number;
  /** Datagrams that reached a host on a port with no socket. */
  noSocket: number;
}

class Realm {
  readonly hosts = new Map<string, SimHost>();
  readonly nats = new Map<string, SimNat>();
  constructor(readonly owner: SimNat | undefined) {}
}

type Hop =
  | { kind: 'router'; realm: Realm }
  | { kind: 'host'; host: SimHost }
  | { kind: 'nat-public'; nat: SimNat };

interface InFlight {
  hop: Hop;
  datagram: Datagram;
}

export class SimSocket {
  private closed = false;

  constructor(
    readonly host: SimHost,
    readonly address: SimAddress,
    private readonly onReceive: ReceiveHandler,
  ) {}

  /** Sends a copy of `data`; the caller may reuse its buffer at once. */
  send(data: Uint8Array, to: SimAddress): void {
    if (this.closed) throw new Error(`socket ${addressKey(this.address)} is closed`);
    this.host.network.sendFrom(this, data.slice(), to);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.unbind(this);
  }

  /** @internal */
  deliver(datagram: Datagram, now: number): void {
    if (!this.closed) this.onReceive(datagram, now);
  }
}

export class SimHost {
  readonly addresses: readonly string[];
  readonly uplink: Link;
  readonly downlink: Link;
  private readonly sockets = new Map<string, SimSocket>();
  private nextEphemeral = 49152;

  constructor(
    readonly network: SimNetwork,
    readonly realm: Realm,
    options: HostOptions,
    random: SeededRandom,
  ) {
    this.addresses = [options.address, ...(options.addresses ?? [])];
    this.uplink = new Link(options.uplink ?? {}, random.fork(`${options.address}:up`));
    this.downlink = new Link(options.downlink ?? {}, random.fork(`${options.address}:down`));
  }

  get address(): string {
    return this.addresses[0]!;
  }

  /** Binds a socket; port 0 or absent picks a free ephemeral port. */
  bind(onReceive: ReceiveHandler, options: { address?: string; port?: number } = {}): SimSocket {
    const host = options.address ?? this.address;
    if (!this.addresses.includes(host)) throw new Error(`${host} is not an address of this host`);
    let port = options.port ?? 0;
    if (port === 0) {
      do {
        port = this.nextEphemeral;
        this.nextEphemeral = this.nextEphemeral >= 65535 ? 49152 : this.nextEphemeral + 1;
      } while (this.sockets.has(addressKey({ host, port })));
    }
    const address = { host, port };
    const key = addressKey(address);
    if (this.sockets.has(key)) throw new Error(`address in use: ${key}`);
    const socket = new SimSocket(this, address, onReceive);
    this.sockets.set(key, socket);
    return socket;
  }

  /** @internal */
  unbind(socket: SimSocket): void {
    this.sockets.delete(addressKey(socket.address));
  }

  /** @internal */
  socketFor(address: SimAddress): SimSocket | undefined {
    return this.sockets.get(addressKey(address));
  }
}

export class SimNat {
  readonly table: NatTable;
  readonly privateRealm: Realm;
  readonly uplink: Link;
  readonly downlink: Link;

  constructor(
    readonly realm: Realm,
    options: NatOptions,
    random: SeededRandom,
  ) {
    this.table = new NatTable(options);
    this.privateRealm = new Realm(this);
    this.uplink = new Link(options.uplink ?? {}, random.fork(`${options.publicAddress}:nat-up`));
    this.downlink = new Link(options.downlink ?? {}, random.fork(`${options.publicAddress}:nat-down`));
  }

  get publicAddress(): string {
    return this.table.config.publicAddress;
  }

  get stats() {
    return this.table.stats;
  }
}

export interface RunOptions {
  /** Stop after this much virtual time (ms) even if the condition is not met. */
  timeoutMs?: number;
}

/** Guards against a node whose deadline never moves forward. */
const MAX_STEPS_PER_RUN = 10_000_000;

export class SimNetwork {
  readonly stats: NetworkStats = { unroutable: 0, noSocket: 0 };
  private readonly internet = new Realm(undefined);
  private readonly queue = new EventQueue<InFlight>();
  private readonly timerNodes = new Set<SimTimerNode>();
  private readonly random: SeededRandom;
  private clock: number;

  constructor(options: { seed?: number; startTime?: number } = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.clock = options.startTime ?? 0;
  }

  /** Virtual time in ms. */
  get now(): number {
    return this.clock;
  }

  addHost(options: HostOptions): SimHost {
    const realm = options.behind ? options.behind.privateRealm : this.internet;
    const host = new SimHost(this, realm, options, this.random);
    for (const a of host.addresses) {
      if (realm.hosts.has(a) || realm.nats.has(a)) throw new Error(`address ${a} already used in its realm`);
      realm.hosts.set(a, host);
    }
    return host;
  }

  addNat(options: NatOptions): SimNat {
    const realm = options.behind ? options.behind.privateRealm : this.internet;
    if (realm.hosts.has(options.publicAddress) || realm.nats.has(options.publicAddress)) {
      throw new Error(`address ${options.publicAddress} already used in its realm`);
    }
    const nat = new SimNat(realm, options, this.random);
    realm.nats.set(options.publicAddress, nat);
    return nat;
  }

  /** Registers something whose `handleTimeout` the run loop calls at its deadlines. */
  addTimerNode(node: SimTimerNode): () => void {
    this.timerNodes.add(node);
    return () => this.timerNodes.delete(node);
  }

  /** Runs until `ms` of virtual time have passed. */
  runFor(ms: number): void {
    this.runUntilTime(this.clock + ms);
  }

  /**
   * Runs until `done()` holds (checked after every event) or `timeoutMs` (default 60 s) of
   * virtual time pass. Returns whether `done()` held.
   */
  runUntil(done: () => boolean, options: RunOptions = {}): boolean {
    const limit = this.clock + (options.timeoutMs ?? 60_000);
    if (done()) return true;
    let steps = 0;
    for (;;) {
      const next = this.nextEventTime();
      if (next === undefined || next > limit) {
        this.clock = Math.max(this.clock, limit);
        return done();
      }
      this.step(next);
      if (done()) return true;
      if (++steps > MAX_STEPS_PER_RUN)
        throw new Error('simulation did not settle: a deadline never advances');
    }
  }

  /** Runs until nothing is in flight and no node has a deadline, or `timeoutMs` pass. */
  runUntilIdle(options: RunOptions = {}): boolean {
    return this.runUntil(() => this.nextEventTime() === undefined, options);
  }

  private runUntilTime(limit: number): void {
    let steps = 0;
    for (;;) {
      const next = this.nextEventTime();
      if (next === undefined || next > limit) break;
      this.step(next);
      if (++steps > MAX_STEPS_PER_RUN)
        throw new Error('simulation did not settle: a deadline never advances');
    }
    this.clock = Math.max(this.clock, limit);
  }

  private nextEventTime(): number | undefined {
    let next = this.queue.peekTime();
    for (const node of this.timerNodes) {
      const d = node.nextDeadline();
      if (d !== undefined && (next === undefined || d < next)) next = d;
    }
    return next === undefined ? undefined : Math.max(next, this.clock);
  }

  private step(at: number): void {
    this.clock = Math.max(this.clock, at);
    const queued = this.queue.peekTime();
    if (queued !== undefined && queued <= this.clock) {
      this.process(this.queue.pop()!.value);
      return;
    }
    for (const node of [...this.timerNodes]) {
      const d = node.nextDeadline();
      if (d !== undefined && d <= this.clock) node.handleTimeout(this.clock);
    }
  }

  /** @internal */
  sendFrom(socket: SimSocket, data: Uint8Array, to: SimAddress): void {
    const datagram: Datagram = { from: socket.address, to, data };
    this.schedule(socket.host.uplink, datagram, { kind: 'router', realm: socket.host.realm });
  }

  private schedule(link: Link, datagram: Datagram, hop: Hop): void {
    const arrivals = link.transmit(this.clock, datagram.data.byteLength);
    arrivals.forEach((at, i) => {
      // Each copy gets its own bytes: receivers may decrypt in place.
      const d = i === 0 ? datagram : { ...datagram, data: datagram.data.slice() };
      this.queue.push(at, { hop, datagram: d });
    });
  }

  private process({ hop, datagram }: InFlight): void {
    switch (hop.kind) {
      case 'router':
        this.route(hop.realm, datagram);
        return;
      case 'host': {
        const socket = hop.host.socketFor(datagram.to);
        if (!socket) {
          this.stats.noSocket++;
          return;
        }
        socket.deliver(datagram, this.clock);
        return;
      }
      case 'nat-public': {
        const nat = hop.nat;
        const internal = nat.table.inbound(datagram.to.port, datagram.from, this.clock);
        if (!internal) return;
        this.route(nat.privateRealm, { ...datagram, to: internal });
        return;
      }
    }
  }

  /** Forwards a datagram that reached `realm`'s router. */
  private route(realm: Realm, datagram: Datagram): void {
    const host = realm.hosts.get(datagram.to.host);
    const nat = realm.nats.get(datagram.to.host);
    const owner = realm.owner;
    if (host) {
      this.schedule(host.downlink, datagram, { kind: 'host', host });
    } else if (nat) {
      this.schedule(nat.downlink, datagram, { kind: 'nat-public', nat });
    } else if (owner) {
      // Leaving a private realm: translate the source, then cross the NAT's uplink.
      const from = owner.table.outbound(datagram.from, datagram.to, this.clock);
      this.schedule(owner.uplink, { ...datagram, from }, { kind: 'router', realm: owner.realm });
    } else {
      this.stats.unroutable++;
    }
  }
}
