import type { Socket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TransportAddress } from '../stun/address.js';
import { splitStreamMessages } from '../turn/channel-data.js';
import { TurnClient } from '../turn/client.js';
import { resolveServerHost } from './dns-lookup.js';
import type { DriverContext } from './driver-context.js';
import type { TurnServerConfig } from './transport-options.js';
import { bindUdp } from './udp-socket.js';

interface RelayState {
  readonly client: TurnClient;
  server: TransportAddress;
  readonly udp?: Socket;
  readonly tcp?: TcpSocket;
  tcpBuffer: Buffer;
  readonly done: () => void;
}

/**
 * Relay gathering (RFC 8656): one TURN allocation per configured server, each with its own
 * control connection over UDP, TCP or TLS, whose relayed traffic the agent sees as socket
 * `turn<N>`.
 */
export class TurnRelays {
  private readonly relays = new Map<string, RelayState>();

  constructor(private readonly ctx: DriverContext) {}

  get size(): number {
    return this.relays.size;
  }

  /** RFC 8656: one allocation per configured TURN server, over UDP or TCP. */
  async allocate(socketId: string, server: TurnServerConfig): Promise<void> {
    const address = await resolveServerHost(server.host);
    if (!address || this.ctx.isClosed()) return;
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
          client.start(this.ctx.now());
          this.ctx.pump();
        });
        tcp.on('data', (chunk) => this.onTcpData(socketId, chunk));
        tcp.on('error', done);
        tcp.on('close', done);
        return;
      }
      void bindUdp(address.includes(':') ? '::' : '0.0.0.0').then((udp) => {
        if (this.ctx.isClosed()) {
          udp.close();
          done();
          return;
        }
        const state: RelayState = { client, server: target, udp, tcpBuffer: Buffer.alloc(0), done };
        this.relays.set(socketId, state);
        udp.on('message', (msg) => {
          if (this.ctx.isClosed()) return;
          client.handleIncoming(msg, this.ctx.now());
          this.ctx.pump();
        });
        udp.on('error', () => {});
        client.start(this.ctx.now());
        this.ctx.pump();
      }, done);
    });
  }

  private onTcpData(socketId: string, chunk: Buffer): void {
    const state = this.relays.get(socketId);
    if (!state || this.ctx.isClosed()) return;
    state.tcpBuffer = state.tcpBuffer.length ? Buffer.concat([state.tcpBuffer, chunk]) : chunk;
    const { messages, consumed, error } = splitStreamMessages(state.tcpBuffer);
    const now = this.ctx.now();
    for (const m of messages) state.client.handleIncoming(m, now);
    state.tcpBuffer = state.tcpBuffer.subarray(consumed);
    if (error) state.tcp?.destroy();
    this.ctx.pump();
  }

  /** Sends the agent's datagram through relay `socketId`; false when that is not a relay. */
  send(socketId: string, destination: TransportAddress, data: Uint8Array, now: number): boolean {
    const relay = this.relays.get(socketId);
    if (!relay) return false;
    relay.client.send(destination, data, now);
    return true;
  }

  /**
   * Writes each client's queued messages to its server and hands its events to the agent:
   * a relay candidate, relayed data, or the end of gathering for that server. True when any
   * event arrived, since the agent may then have more to send.
   */
  poll(now: number): boolean {
    let progress = false;
    for (const [socketId, r] of this.relays) {
      this.flush(r);
      for (let e = r.client.pollEvent(); e; e = r.client.pollEvent()) {
        progress = true;
        if (e.type === 'allocated') {
          this.ctx.agent.addLocalCandidate({
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
          this.ctx.agent.handleDatagram(socketId, e.peer, e.data, now);
        }
      }
    }
    return progress;
  }

  private flush(r: RelayState): void {
    for (let b = r.client.pollTransmit(); b; b = r.client.pollTransmit()) {
      if (r.udp) r.udp.send(b, r.server.port, r.server.address);
      else if (r.tcp && !r.tcp.destroyed) r.tcp.write(b);
    }
  }

  handleTimeout(now: number): void {
    for (const r of this.relays.values()) r.client.handleTimeout(now);
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const r of this.relays.values()) {
      const at = r.client.nextDeadline();
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /**
   * The Refresh with lifetime 0 (RFC 8656 section 7.3) frees each relay at once; it leaves
   * before its socket goes. The relays stay listed until `clear`, so a last pump still sees them.
   */
  close(now: number): void {
    for (const r of this.relays.values()) {
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
  }

  clear(): void {
    this.relays.clear();
  }
}
