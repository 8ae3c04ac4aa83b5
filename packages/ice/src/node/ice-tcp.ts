import { connect, createServer, type Server, type Socket } from 'node:net';
import { canonicalIp, type TransportAddress, transportAddressKey } from '../stun/address.js';
import { frameRfc4571, Rfc4571Deframer } from '../tcp/framing.js';
import type { PortRange } from './udp-socket.js';

type FrameHandler = (socketId: string, from: TransportAddress, data: Buffer) => void;

interface Connection {
  readonly socket: Socket;
  readonly deframer: Rfc4571Deframer;
  readonly queue: Buffer[];
  connected: boolean;
}

/**
 * ICE-TCP sockets (RFC 6544): a listening socket per passive candidate, outgoing connections
 * per active candidate and destination, each carrying RFC 4571 frames.
 */
export class IceTcpSockets {
  private readonly servers = new Map<string, Server>();
  private readonly activeAddresses = new Map<string, string>();
  private readonly connections = new Map<string, Connection>();
  private closed = false;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly maxConnections = 64,
  ) {}

  /** Listens for passive candidate `socketId` on `address`; resolves with the bound port. */
  async listen(socketId: string, address: string, range?: PortRange): Promise<number> {
    const tryPort = (port: number) =>
      new Promise<Server>((resolve, reject) => {
        const server = createServer((socket) => this.accept(socketId, socket));
        server.once('error', reject);
        server.listen({ host: address, port, exclusive: true, ipv6Only: address.includes(':') }, () => {
          server.off('error', reject);
          resolve(server);
        });
      });
    let server: Server | undefined;
    if (!range) server = await tryPort(0);
    else {
      for (let port = range.min; port <= range.max && !server; port++) {
        try {
          server = await tryPort(port);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        }
      }
      if (!server) throw new Error(`no free TCP port in ${range.min}-${range.max}`);
    }
    this.servers.set(socketId, server);
    return (server.address() as { port: number }).port;
  }

  registerActive(socketId: string, localAddress: string): void {
    this.activeAddresses.set(socketId, localAddress);
  }

  handles(socketId: string): boolean {
    return this.servers.has(socketId) || this.activeAddresses.has(socketId);
  }

  /** Sends one datagram; opens the connection first for an active candidate. */
  send(socketId: string, to: TransportAddress, data: Uint8Array): void {
    if (this.closed) return;
    const key = `${socketId}|${transportAddressKey(to)}`;
    let conn = this.connections.get(key);
    if (!conn) {
      const localAddress = this.activeAddresses.get(socketId);
      if (localAddress === undefined || this.connections.size >= this.maxConnections) return;
      const socket = connect({ host: to.address, port: to.port, localAddress });
      conn = this.track(key, socketId, socket, to, false);
      socket.once('connect', () => {
        conn!.connected = true;
        for (const frame of conn!.queue.splice(0)) socket.write(frame);
      });
    }
    const frame = frameRfc4571(data);
    if (conn.connected) conn.socket.write(frame);
    else if (conn.queue.length < 64) conn.queue.push(frame);
  }

  private accept(socketId: string, socket: Socket): void {
    if (this.closed || this.connections.size >= this.maxConnections) {
      socket.destroy();
      return;
    }
    const from = { address: canonicalIp(socket.remoteAddress ?? '') ?? '', port: socket.remotePort ?? 0 };
    this.track(`${socketId}|${transportAddressKey(from)}`, socketId, socket, from, true);
  }

  private track(
    key: string,
    socketId: string,
    socket: Socket,
    peer: TransportAddress,
    connected: boolean,
  ): Connection {
    const conn: Connection = { socket, deframer: new Rfc4571Deframer(), queue: [], connected };
    this.connections.set(key, conn);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      for (const frame of conn.deframer.push(chunk)) this.onFrame(socketId, peer, frame);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.connections.get(key) === conn) this.connections.delete(key);
    });
    return conn;
  }

  close(): void {
    this.closed = true;
    for (const c of this.connections.values()) c.socket.destroy();
    this.connections.clear();
    for (const s of this.servers.values()) s.close();
    this.servers.clear();
  }
}
