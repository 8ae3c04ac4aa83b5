import type { SimHost, SimNetwork, SimSocket } from '@purertc/test/sim';
import {
  IceAgent,
  type IceAgentEvent,
  type IceAgentOptions,
  type IceConnectionState,
  StunAttr,
  StunClass,
  StunMessage,
  StunMessageBuilder,
  StunMethod,
  serializeCandidate,
  TurnClient,
} from '../../src/index.js';

/** An ICE agent wired to a simulated host: its sockets, its timer, and a record of its events. */
export class SimIceEndpoint {
  readonly agent: IceAgent;
  readonly sockets = new Map<string, SimSocket>();
  readonly events: IceAgentEvent[] = [];
  readonly states: { state: IceConnectionState; at: number }[] = [];
  readonly received: Buffer[] = [];
  peer: SimIceEndpoint | undefined;
  /** When false, candidates are not trickled to the peer (the test signals them itself). */
  trickle = true;
  /** Datagrams for which this returns true never reach the agent (a peer's quirks, in tests). */
  dropInbound: ((data: Uint8Array) => boolean) | undefined;
  private readonly removeTimer: () => void;

  constructor(
    readonly net: SimNetwork,
    readonly host: SimHost,
    options: IceAgentOptions,
    readonly name: string,
  ) {
    this.agent = new IceAgent(options);
    this.removeTimer = net.addTimerNode({
      nextDeadline: () => this.agent.nextDeadline(),
      handleTimeout: (now) => {
        this.agent.handleTimeout(now);
        this.flush();
      },
    });
  }

  bindHost(socketId = `s${this.sockets.size}`): SimSocket {
    const socket = this.host.bind((d, now) => {
      if (this.pendingSrflx?.(d.data)) return;
      if (this.dropInbound?.(d.data)) return;
      this.agent.handleDatagram(socketId, { address: d.from.host, port: d.from.port }, d.data, now);
      this.flush();
    });
    this.sockets.set(socketId, socket);
    this.agent.addLocalCandidate({
      socketId,
      type: 'host',
      address: socket.address.host,
      port: socket.address.port,
    });
    this.flush();
    return socket;
  }

  /** Learns the server-reflexive address of a socket from a STUN server on the simulated internet. */
  gatherSrflx(socketId: string, server: { host: string; port: number }): void {
    const socket = this.sockets.get(socketId)!;
    const tid = Buffer.alloc(12, 9);
    let mapped: { address: string; port: number } | undefined;
    const original = socket;
    const request = new StunMessageBuilder(StunMethod.Binding, StunClass.Request, tid).finish({
      fingerprint: true,
    });
    this.pendingSrflx = (data) => {
      const m = StunMessage.tryParse(data);
      if (m?.transactionId.equals(tid)) {
        mapped = m.xorMappedAddress();
        return true;
      }
      return false;
    };
    original.send(request, server);
    this.net.runUntil(() => mapped !== undefined, { timeoutMs: 2000 });
    this.pendingSrflx = undefined;
    if (!mapped) throw new Error('no srflx answer');
    this.agent.addLocalCandidate({
      socketId,
      type: 'srflx',
      address: mapped.address,
      port: mapped.port,
      relatedAddress: original.address.host,
      relatedPort: original.address.port,
      server: `${server.host}:${server.port}`,
    });
    this.flush();
  }

  pendingSrflx: ((data: Uint8Array) => boolean) | undefined;
  readonly turnClients = new Map<string, TurnClient>();

  /** Allocates a relay on a TURN server from a fresh socket; the relay candidate is added once allocated. */
  addTurnRelay(
    socketId: string,
    server: { host: string; port: number },
    username: string,
    password: string,
  ): TurnClient {
    const turn = new TurnClient({ username, password, random: this.random });
    this.turnClients.set(socketId, turn);
    const socket = this.host.bind((d, now) => {
      turn.handleIncoming(d.data, now);
      this.flush();
    });
    this.turnSockets.set(socketId, { socket, server });
    this.net.addTimerNode({
      nextDeadline: () => turn.nextDeadline(),
      handleTimeout: (now) => {
        turn.handleTimeout(now);
        this.flush();
      },
    });
    turn.start(this.net.now);
    this.flush();
    return turn;
  }
  private readonly turnSockets = new Map<
    string,
    { socket: SimSocket; server: { host: string; port: number } }
  >();
  private get random(): ((n: number) => Uint8Array) | undefined {
    return undefined;
  }

  flush(): void {
    for (let progress = true; progress; ) {
      progress = false;
      for (let t = this.agent.pollTransmit(); t; t = this.agent.pollTransmit()) {
        const turn = this.turnClients.get(t.socketId);
        if (turn) turn.send(t.destination, t.data, this.net.now);
        else
          this.sockets
            .get(t.socketId)
            ?.send(t.data, { host: t.destination.address, port: t.destination.port });
      }
      for (const [socketId, turn] of this.turnClients) {
        const { socket, server } = this.turnSockets.get(socketId)!;
        for (let b = turn.pollTransmit(); b; b = turn.pollTransmit()) socket.send(b, server);
        for (let e = turn.pollEvent(); e; e = turn.pollEvent()) {
          progress = true;
          if (e.type === 'allocated') {
            this.agent.addLocalCandidate({
              socketId,
              type: 'relay',
              address: e.relayed.address,
              port: e.relayed.port,
              relatedAddress: e.mapped?.address ?? socket.address.host,
              relatedPort: e.mapped?.port ?? socket.address.port,
              server: `${server.host}:${server.port}`,
            });
            this.relayAllocated = true;
          } else if (e.type === 'data') {
            this.agent.handleDatagram(socketId, e.peer, e.data, this.net.now);
          }
        }
      }
      for (let e = this.agent.pollEvent(); e; e = this.agent.pollEvent()) {
        this.events.push(e);
        if (e.type === 'state-change') this.states.push({ state: e.state, at: this.net.now });
        if (e.type === 'data') this.received.push(e.data);
        if (e.type === 'local-candidate' && this.trickle && this.peer) {
          this.peer.agent.addRemoteCandidate(serializeCandidate(e.candidate));
          this.peer.flush();
        }
        if (e.type === 'local-candidates-complete' && this.trickle && this.peer) {
          this.peer.agent.endOfRemoteCandidates();
        }
      }
    }
  }

  relayAllocated = false;

  close(): void {
    this.removeTimer();
    for (const s of this.sockets.values()) s.close();
  }
}

/** Connects two endpoints' signalling: credentials both ways, then every candidate as it appears. */
export function signal(a: SimIceEndpoint, b: SimIceEndpoint): void {
  a.peer = b;
  b.peer = a;
  a.agent.setRemoteCredentials(b.agent.localCredentials);
  b.agent.setRemoteCredentials(a.agent.localCredentials);
  for (const c of a.agent.localCandidateList) b.agent.addRemoteCandidate(serializeCandidate(c));
  for (const c of b.agent.localCandidateList) a.agent.addRemoteCandidate(serializeCandidate(c));
  a.flush();
  b.flush();
}

/** A STUN server on the simulated internet answering Binding requests (RFC 8489 section 6.3). */
export function addStunServer(net: SimNetwork, address: string, port = 3478): { host: string; port: number } {
  const host = net.addHost({ address });
  const socket: SimSocket = host.bind(
    (d) => {
      const m = StunMessage.tryParse(d.data);
      if (!m || m.method !== StunMethod.Binding || m.messageClass !== StunClass.Request) return;
      const reply = new StunMessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, m.transactionId)
        .addAddress(StunAttr.XorMappedAddress, { address: d.from.host, port: d.from.port })
        .finish({ fingerprint: true });
      socket.send(reply, d.from);
    },
    { port },
  );
  return { host: address, port };
}

/** A deterministic random source (xorshift32) for agents in simulation tests. */
export function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}
