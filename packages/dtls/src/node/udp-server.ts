import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { debuglog } from 'node:util';
import type { DtlsFingerprint } from '../cert/fingerprint.js';
import type { DtlsEvent } from '../events.js';
import { CookieAuthority } from '../handshake/cookie.js';
import { inspectClientHello } from '../handshake/hello-verifier.js';
import type { DtlsConnectionOptions } from '../options.js';
import { DtlsServer } from '../server.js';
import type { UdpPeer } from './udp-driver.js';

const log = debuglog('purertc:dtls');

export interface DtlsUdpServerOptions
  extends Omit<DtlsConnectionOptions, 'role' | 'remoteFingerprints' | 'peerAddress'> {
  /** The fingerprints a given client must present (from its signalling). */
  expectedFingerprints: (peer: UdpPeer) => readonly DtlsFingerprint[];
  onEvent: (peer: UdpPeer, event: DtlsEvent, connection: DtlsServer) => void;
  bindAddress?: string;
  /** Bound on simultaneous connections. */
  maxConnections?: number;
}

interface Entry {
  connection: DtlsServer;
  peer: UdpPeer;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Many DTLS clients on one UDP socket. A client gets a connection object only after it returned a
 * valid HelloVerifyRequest cookie (RFC 6347 4.2.1); until then every ClientHello is answered
 * statelessly, so spoofed floods cost a reply each and no memory.
 */
export class DtlsUdpServer {
  private readonly connections = new Map<string, Entry>();
  private readonly cookies: CookieAuthority;
  private readonly secret: Buffer;
  private closed = false;

  private constructor(
    readonly socket: Socket,
    private readonly options: DtlsUdpServerOptions,
  ) {
    this.secret = Buffer.from(options.cookieSecret ?? randomBytes(32));
    this.cookies = new CookieAuthority(this.secret);
    socket.on('error', (e) => log('server socket error: %s', e.message));
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, { address: rinfo.address, port: rinfo.port }));
  }

  static async listen(options: DtlsUdpServerOptions): Promise<DtlsUdpServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.bindAddress ?? '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new DtlsUdpServer(socket, options);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Connections that exist; each was created only after a verified cookie. */
  get connectionCount(): number {
    return this.connections.size;
  }

  connection(peer: UdpPeer): DtlsServer | undefined {
    return this.connections.get(`${peer.address}:${peer.port}`)?.connection;
  }

  private onDatagram(msg: Buffer, peer: UdpPeer): void {
    if (this.closed) return;
    const key = `${peer.address}:${peer.port}`;
    let entry = this.connections.get(key);
    if (entry && entry.connection.state === 'connected') {
      const restart = this.checkRestart(msg, key, entry, peer);
      if (restart === 'answered') return;
      if (restart === 'new-connection') entry = undefined;
    }
    if (!entry) {
      const verdict = inspectClientHello(msg, key, this.cookies);
      if (verdict.action === 'reply') this.socket.send(verdict.datagram, peer.port, peer.address);
      if (verdict.action !== 'accept') return;
      if (this.connections.size >= (this.options.maxConnections ?? 10_000)) return;
      const { expectedFingerprints, onEvent, bindAddress, maxConnections, ...rest } = this.options;
      const connection = new DtlsServer({
        ...rest,
        remoteFingerprints: expectedFingerprints(peer),
        cookieSecret: this.secret,
        peerAddress: key,
      });
      entry = { connection, peer, timer: undefined };
      this.connections.set(key, entry);
      connection.start(performance.now());
    }
    entry.connection.handle(msg, performance.now());
    this.flush(key, entry);
  }

  /**
   * RFC 6347 4.2.8: a ClientHello with a fresh random on a connected 5-tuple is a restarted client.
   * It must prove reachability with a cookie before the old connection is given up; a late copy of
   * the original hello (same random) stays with the old connection.
   */
  private checkRestart(
    msg: Buffer,
    key: string,
    entry: Entry,
    peer: UdpPeer,
  ): 'existing' | 'answered' | 'new-connection' {
    const verdict = inspectClientHello(msg, key, this.cookies);
    if (
      verdict.action === 'drop' ||
      verdict.random.equals(entry.connection.clientHelloRandom ?? Buffer.alloc(0))
    ) {
      return 'existing';
    }
    if (verdict.action === 'reply') {
      this.socket.send(verdict.datagram, peer.port, peer.address);
      return 'answered';
    }
    log('client %s restarted its handshake', key);
    if (entry.timer) clearTimeout(entry.timer);
    this.connections.delete(key);
    this.options.onEvent(peer, { type: 'closed', initiator: 'remote' }, entry.connection);
    return 'new-connection';
  }

  send(peer: UdpPeer, data: Uint8Array): void {
    const key = `${peer.address}:${peer.port}`;
    const entry = this.connections.get(key);
    if (!entry) throw new Error(`no connection for ${key}`);
    entry.connection.send(data);
    this.flush(key, entry);
  }

  private flush(key: string, entry: Entry): void {
    const c = entry.connection;
    for (let d = c.poll(); d; d = c.poll())
      if (!this.closed) this.socket.send(d, entry.peer.port, entry.peer.address);
    for (let e = c.pollEvent(); e; e = c.pollEvent()) this.options.onEvent(entry.peer, e, c);
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (c.state === 'failed' || c.state === 'closed') {
      this.connections.delete(key);
      return;
    }
    const deadline = c.nextDeadline();
    if (deadline !== undefined && !this.closed) {
      entry.timer = setTimeout(
        () => {
          c.handleTimeout(performance.now());
          this.flush(key, entry);
        },
        Math.max(0, deadline - performance.now()),
      );
    }
  }

  close(): void {
    if (this.closed) return;
    for (const [key, entry] of this.connections) {
      entry.connection.close();
      this.flush(key, entry);
    }
    this.closed = true;
    this.socket.close();
  }
}
