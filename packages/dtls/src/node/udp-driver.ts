import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { debuglog } from 'node:util';
import type { DtlsConnection } from '../connection.js';
import type { DtlsEvent } from '../events.js';

const log = debuglog('purertc:dtls');

export interface UdpPeer {
  address: string;
  port: number;
}

/**
 * A thin Node driver: one UDP socket on 127.0.0.1 (by default), one timer set to the connection's
 * next deadline. It holds no protocol logic; everything happens in the sans-I/O connection.
 */
export class DtlsUdpDriver {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly socket: Socket,
    readonly connection: DtlsConnection,
    private remote: UdpPeer | undefined,
    private readonly onEvent: (e: DtlsEvent) => void,
  ) {
    // ICMP errors and the like surface here; UDP is lossy anyway and the core retransmits.
    socket.on('error', (e) => log('socket error: %s', e.message));
    socket.on('message', (msg, rinfo) => {
      // A server without a known peer adopts the first sender; later strangers are ignored.
      if (!this.remote) this.remote = { address: rinfo.address, port: rinfo.port };
      if (rinfo.address !== this.remote.address || rinfo.port !== this.remote.port) return;
      this.connection.handle(msg, performance.now());
      this.flush();
    });
  }

  static async open(
    connection: DtlsConnection,
    options: { remote?: UdpPeer; bindAddress?: string; onEvent: (e: DtlsEvent) => void },
  ): Promise<DtlsUdpDriver> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.bindAddress ?? '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new DtlsUdpDriver(socket, connection, options.remote, options.onEvent);
  }

  get port(): number {
    return this.socket.address().port;
  }

  start(): void {
    this.connection.start(performance.now());
    this.flush();
  }

  send(data: Uint8Array): void {
    this.connection.send(data);
    this.flush();
  }

  /** Sends close_notify, then releases the socket. */
  close(): void {
    if (this.closed) return;
    this.connection.close();
    this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket.close();
  }

  private flush(): void {
    if (this.remote) {
      for (let d = this.connection.poll(); d; d = this.connection.poll()) {
        if (!this.closed) this.socket.send(d, this.remote.port, this.remote.address);
      }
    }
    for (let e = this.connection.pollEvent(); e; e = this.connection.pollEvent()) this.onEvent(e);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = this.connection.nextDeadline();
    if (deadline !== undefined && !this.closed) {
      this.timer = setTimeout(
        () => {
          this.connection.handleTimeout(performance.now());
          this.flush();
        },
        Math.max(0, deadline - performance.now()),
      );
    }
  }
}
