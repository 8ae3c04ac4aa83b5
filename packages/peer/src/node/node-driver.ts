import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { debuglog } from 'node:util';
import {
  bindUdp,
  canonicalIp,
  type LocalCandidateInput,
  listHostAddresses,
  type PortRange,
  StunClass,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
} from '@purertc/ice';
import type { DatagramHandler, GatherError, GatherOptions, PeerDriver } from '../driver/driver.js';
import { parseIceServerUrl } from '../driver/ice-server-url.js';
import { HostnameLookup } from './hostname-lookup.js';
import { TurnRelay, type TurnRelayOptions, type TurnServerTransport } from './turn-relay.js';

const log = debuglog('purertc:peer');

/** Waits at least this long are rounded up to the timer grid. */
const LONG_WAIT_MS = 1000;
const TIMER_GRID_MS = 20;

/** Node-only RTCPeerConnection options: where sockets bind. */
export interface NodeDriverOptions {
  /** Bind exactly these local addresses (e.g. `['127.0.0.1']`); default: every interface address. */
  addresses?: readonly string[];
  /** Include loopback interfaces when enumerating (default: only when no other address exists). */
  loopback?: boolean;
  /** Default true. */
  ipv6?: boolean;
  /** Ports are taken from this range (inclusive). */
  portRange?: PortRange;
  /** SO_RCVBUF / SO_SNDBUF per socket; default 4 MiB (a burst of SCTP data must not be dropped). */
  socketBufferSize?: number;
  /** How long gathering waits for STUN servers. Default 3000 ms. */
  gatherTimeoutMs?: number;
  /**
   * CA certificates (PEM) trusted for `turns:` servers beyond the system store (a private or
   * self-signed TURN server). The server's name or IP must still match its certificate.
   */
  turnTlsCa?: readonly (string | Buffer)[];
  /**
   * Signal host candidates as random `<uuid>.local` names answered over multicast DNS
   * (draft-ietf-mmusic-mdns-ice-candidates), as Chrome does; default false, as werift and most
   * servers (whose addresses are public anyway) expect.
   */
  mdnsHostnames?: boolean;
}

interface Probe {
  /** Ends the probe without a candidate. */
  readonly resolve: () => void;
  readonly onAnswer: (mapped: { address: string; port: number }) => void;
}

/** Real UDP sockets and one Node timer per connection. */
export class NodeDriver implements PeerDriver {
  readonly #options: NodeDriverOptions;
  readonly #sockets = new Map<string, Socket>();
  readonly #probes = new Map<string, Probe>();
  readonly #t0: number;
  #handler: DatagramHandler = () => {};
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  /** The deadline the last immediate ran for: a deadline stuck in the past falls back to setTimeout. */
  #immediateAt: number | undefined;
  #timerArmedAt = 0;
  #timerWant: number | undefined;
  #timerCallback: () => void = () => {};
  #waits = new Set<NodeJS.Timeout>();
  #closed = false;
  #lookup: HostnameLookup | undefined;
  readonly #relays = new Map<string, TurnRelay>();
  readonly #published = new Map<string, string>();
  readonly hostnameFor?: (address: string) => string;

  /** `t0` is internal: a forked driver shares its parent's clock. */
  constructor(options: NodeDriverOptions = {}, t0: number = performance.now()) {
    this.#options = options;
    this.#t0 = t0;
    if (options.mdnsHostnames) this.hostnameFor = (address) => this.#publish(address);
  }

  /** One name per address for the connection's lifetime (draft-ietf-mmusic-mdns-ice-candidates 3.1.1). */
  #publish(address: string): string {
    let name = this.#published.get(address);
    if (!name) {
      name = `${randomUUID()}.local`;
      this.#published.set(address, name);
      this.#lookup ??= new HostnameLookup();
      this.#lookup.publish(name, address);
    }
    return name;
  }

  fork(): PeerDriver {
    return new NodeDriver(this.#options, this.#t0);
  }

  now(): number {
    return performance.now() - this.#t0;
  }

  wallClock(): number {
    return Date.now();
  }

  onDatagram(handler: DatagramHandler): void {
    this.#handler = handler;
  }

  async gather(
    options: GatherOptions,
    onCandidate: (c: LocalCandidateInput) => void,
    onError: (e: GatherError) => void = () => {},
  ): Promise<void> {
    let hosts = listHostAddresses({
      ...(this.#options.addresses ? { addresses: this.#options.addresses } : {}),
      loopback: this.#options.loopback ?? false,
      ipv6: this.#options.ipv6 ?? true,
    });
    if (hosts.length === 0 && !this.#options.addresses) hosts = listHostAddresses({ loopback: true });
    const probes: Promise<void>[] = [];
    const answered: [string, string | null, number | null, { answered: boolean }][] = [];
    let index = 0;
    for (const host of hosts) {
      if (this.#closed) return;
      let socket: Socket;
      try {
        socket = await bindUdp(host.address, this.#options.portRange);
      } catch (e) {
        log('cannot bind %s: %s', host.address, (e as Error).message);
        continue;
      }
      if (this.#closed) {
        socket.close();
        return;
      }
      const socketId = `udp${index++}`;
      this.#adopt(socketId, socket);
      const port = socket.address().port;
      if (!options.relayOnly) onCandidate({ socketId, type: 'host', address: host.address, port });
      for (const server of options.iceServers) {
        const parsed = parseIceServerUrl(server.url);
        if (!parsed) continue;
        if (parsed.scheme !== 'stun') continue;
        if (options.relayOnly) continue;
        const found = { answered: false };
        answered.push([server.url, host.address, port, found]);
        probes.push(
          this.#probe(socketId, host.address, port, parsed.host, parsed.port, (c) => {
            found.answered = true;
            onCandidate(c);
          }),
        );
      }
    }
    let relayIndex = 0;
    for (const server of options.iceServers) {
      const parsed = parseIceServerUrl(server.url);
      if (!parsed || (parsed.scheme !== 'turn' && parsed.scheme !== 'turns')) continue;
      // RFC 8656 3.1 / RFC 7065 3: turns: is TLS over TCP, ?transport=tcp plain TCP.
      const transport: TurnServerTransport =
        parsed.scheme === 'turns' ? 'tls' : parsed.transport === 'tcp' ? 'tcp' : 'udp';
      const socketId = `turn${relayIndex++}`;
      const found = { answered: false };
      answered.push([server.url, null, null, found]);
      probes.push(
        this.#allocate(
          found,
          socketId,
          server.url,
          parsed.host,
          parsed.port,
          server.username ?? '',
          server.credential ?? '',
          transport,
          onCandidate,
          onError,
        ),
      );
    }
    if (probes.length > 0) {
      await Promise.race([Promise.all(probes), this.#wait(this.#options.gatherTimeoutMs ?? 3000)]);
    }
    // W3C webrtc-pc 4.8.4: 701 when a server could not be reached.
    for (const [url, address, port, found] of answered) {
      if (!found.answered && !this.#closed)
        onError({ url, address, port, errorCode: 701, errorText: 'the server did not answer' });
    }
  }

  send(socketId: string, address: string, port: number, data: Uint8Array): void {
    const relay = this.#relays.get(socketId);
    if (relay) {
      relay.send({ address, port }, data);
      return;
    }
    const socket = this.#sockets.get(socketId);
    if (!socket || this.#closed) return;
    // No callback: node then finishes a synchronous send without a process.nextTick per datagram,
    // and a failure surfaces as the socket's 'error' event, which #adopt logs.
    socket.send(data, port, address);
  }

  /**
   * The deadline moves on almost every packet (each SACK restarts T3-rtx), so a timer that is
   * already due no later than the new deadline, and not long before it, stays armed; when it
   * fires early it re-arms for the rest. That keeps setTimeout/clearTimeout churn off the
   * per-packet path: a deadline creeping later by the time between packets re-arms at most once
   * per half of its wait. A deadline that jumped far later (a consent request answered: its
   * retransmission 250 ms away gives way to the next request 4-6 s away) re-arms at once
   * instead, since an idle connection would otherwise wake once more for nothing per request.
   */
  setTimer(at: number | undefined, callback: () => void): void {
    this.#timerCallback = callback;
    this.#timerWant = at;
    if (at === undefined || this.#closed) {
      this.#disarm();
      return;
    }
    if ((this.#timer || this.#immediate) && this.#timerArmedAt <= at) {
      // How long until the armed timer fires; one already due runs in this turn anyway.
      const lead = this.#timerArmedAt - this.now();
      if (lead <= 0 || at - this.#timerArmedAt <= lead) return;
    }
    this.#arm(at);
  }

  #arm(at: number): void {
    this.#disarm();
    this.#timerArmedAt = at;
    const delay = Math.ceil(at - this.now());
    if (delay <= 0 && at !== this.#immediateAt) {
      // Work already due (an SCTP SACK owed for the packets just read) runs once this poll's
      // datagrams are all handled, not a whole millisecond later as setTimeout(0) would.
      this.#immediateAt = at;
      this.#immediate = setImmediate(this.#onTimer);
      return;
    }
    this.#timer = setTimeout(this.#onTimer, Math.max(0, delay < LONG_WAIT_MS ? delay : this.#onGrid(at)));
  }

  /**
   * A long wait (consent, heartbeats, retransmissions of a second or more) ends on a grid shared
   * by every connection of the process, never before its deadline: idle connections' timers then
   * fire together, one wake-up of the process for many of them.
   */
  #onGrid(at: number): number {
    const now = performance.now();
    return Math.ceil(Math.ceil((this.#t0 + at) / TIMER_GRID_MS) * TIMER_GRID_MS - now);
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#immediate = undefined;
    const want = this.#timerWant;
    if (want === undefined || this.#closed) return;
    // Armed for an earlier deadline that has since moved: wait for the current one.
    if (want - this.now() >= 1) {
      this.#arm(want);
      return;
    }
    this.#timerWant = undefined;
    this.#timerCallback();
  };

  resolveHostname(name: string): Promise<string[]> {
    if (this.#closed) return Promise.resolve([]);
    this.#lookup ??= new HostnameLookup();
    return this.#lookup.resolve(name);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lookup?.close();
    for (const r of this.#relays.values()) r.close();
    this.#relays.clear();
    this.#disarm();
    for (const t of this.#waits) clearTimeout(t);
    this.#waits.clear();
    for (const p of this.#probes.values()) p.resolve();
    this.#probes.clear();
    // Sends queued just before close (SCTP ABORT, DTLS close_notify) leave on the next tick.
    const sockets = [...this.#sockets.values()];
    setImmediate(() => {
      for (const s of sockets) {
        try {
          s.close();
        } catch {
          // Already closed by an error.
        }
      }
    });
    this.#sockets.clear();
  }

  #adopt(socketId: string, socket: Socket): void {
    const size = this.#options.socketBufferSize ?? 4 * 1024 * 1024;
    try {
      socket.setRecvBufferSize(size);
      socket.setSendBufferSize(size);
    } catch (e) {
      log('socket buffer size: %s', (e as Error).message);
    }
    socket.on('error', (e) => log('socket %s error: %s', socketId, e.message));
    let lastRaw = '';
    let lastCanonical = '';
    socket.on('message', (msg, rinfo) => {
      if (this.#closed) return;
      if (this.#probes.size > 0 && msg.length >= 20 && msg[0]! < 4 && this.#onProbeAnswer(msg)) return;
      // Canonicalising the text form costs a parse per datagram; a socket hears from few peers.
      if (rinfo.address !== lastRaw) {
        lastRaw = rinfo.address;
        lastCanonical = canonicalIp(rinfo.address) ?? rinfo.address;
      }
      this.#handler(socketId, lastCanonical, rinfo.port, msg);
    });
    this.#sockets.set(socketId, socket);
  }

  /** RFC 8656 allocation; the relayed address becomes a relay candidate (RFC 8445 5.1.1.2). */
  async #allocate(
    found: { answered: boolean },
    socketId: string,
    url: string,
    host: string,
    port: number,
    username: string,
    password: string,
    transport: TurnServerTransport,
    onCandidate: (c: LocalCandidateInput) => void,
    onError: (e: GatherError) => void,
  ): Promise<void> {
    let address: string | undefined;
    try {
      address = canonicalIp(host) ?? canonicalIp((await lookup(host)).address);
    } catch {
      address = undefined;
    }
    if (this.#closed) return;
    if (!address) {
      onError({ url, address: null, port: null, errorCode: 701, errorText: `cannot resolve ${host}` });
      return;
    }
    await new Promise<void>((resolve) => {
      const relayOptions: TurnRelayOptions = {
        transport,
        // RFC 6066 3: SNI carries host names only, never a literal address.
        ...(transport === 'tls' && isIP(host) === 0 ? { servername: host } : {}),
        ...(transport === 'tls' && this.#options.turnTlsCa ? { ca: this.#options.turnTlsCa } : {}),
      };
      const relay = new TurnRelay(
        { address, port },
        username,
        password,
        {
          allocated: (relayed, mapped) => {
            found.answered = true;
            onCandidate({
              socketId,
              type: 'relay',
              address: relayed.address,
              port: relayed.port,
              ...(mapped ? { relatedAddress: mapped.address, relatedPort: mapped.port } : {}),
              // Candidates through different servers or transports get different foundations.
              server: `${transport}:${address}:${port}`,
            });
            resolve();
          },
          failed: (reason) => {
            found.answered = true;
            onError({ url, address: null, port: null, errorCode: 701, errorText: reason });
            resolve();
          },
          data: (peer, data) => {
            if (!this.#closed) this.#handler(socketId, peer.address, peer.port, data);
          },
        },
        relayOptions,
      );
      this.#relays.set(socketId, relay);
      relay.start().catch(() => resolve());
    });
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#waits.delete(t);
        resolve();
      }, ms);
      this.#waits.add(t);
    });
  }

  /** RFC 8445 5.1.1.2: a Binding request from the host socket discovers the server-reflexive address. */
  async #probe(
    socketId: string,
    baseAddress: string,
    basePort: number,
    host: string,
    port: number,
    onCandidate: (c: LocalCandidateInput) => void,
  ): Promise<void> {
    let address: string | undefined;
    try {
      address =
        canonicalIp(host) ??
        canonicalIp((await lookup(host, { family: baseAddress.includes(':') ? 6 : 4 })).address);
    } catch {
      return;
    }
    if (!address || this.#closed || address.includes(':') !== baseAddress.includes(':')) return;
    const tid = randomBytes(12);
    const bytes = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid).finish({
      fingerprint: true,
    });
    const server = `${address}:${port}`;
    await new Promise<void>((resolve) => {
      const key = tid.toString('latin1');
      const done = (): void => {
        this.#probes.delete(key);
        resolve();
      };
      this.#probes.set(key, {
        resolve: done,
        onAnswer: (mapped) => {
          if (mapped.address !== baseAddress || mapped.port !== basePort) {
            onCandidate({
              socketId,
              type: 'srflx',
              address: mapped.address,
              port: mapped.port,
              relatedAddress: baseAddress,
              relatedPort: basePort,
              server,
            });
          }
          done();
        },
      });
      // RFC 8489 6.2.1 retransmissions, bounded by the gathering timeout.
      let delay = 250;
      const sendOnce = (): void => {
        if (!this.#probes.has(key)) return;
        this.send(socketId, address, port, bytes);
        delay *= 2;
        if (delay <= 4000) this.#wait(delay).then(sendOnce);
      };
      sendOnce();
    });
  }

  #onProbeAnswer(msg: Buffer): boolean {
    const probe = this.#probes.get(msg.subarray(8, 20).toString('latin1'));
    if (!probe) return false;
    const parsed = StunMessage.tryParse(msg);
    if (!parsed || parsed.messageClass !== StunClass.SuccessResponse) return true;
    const mapped = parsed.xorMappedAddress();
    if (mapped) probe.onAnswer(mapped);
    else probe.resolve();
    return true;
  }
}
