import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { bindUdp, type TransportAddress, TurnClient } from '@purertc/ice';

export interface TurnRelayEvents {
  allocated(relayed: TransportAddress, mapped: TransportAddress | undefined): void;
  failed(reason: string): void;
  data(peer: TransportAddress, data: Buffer): void;
}

/**
 * One TURN allocation over UDP (RFC 8656) driven by the ice package's sans-I/O TurnClient: its
 * own socket to the server and one timer. Data to peers goes through `send`, data from peers
 * comes out through `events.data`.
 */
export class TurnRelay {
  readonly #client: TurnClient;
  readonly #server: TransportAddress;
  readonly #events: TurnRelayEvents;
  #socket: Socket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(server: TransportAddress, username: string, password: string, events: TurnRelayEvents) {
    this.#server = server;
    this.#events = events;
    this.#client = new TurnClient({ username, password, transport: 'udp' });
  }

  async start(): Promise<void> {
    const socket = await bindUdp(this.#server.address.includes(':') ? '::' : '0.0.0.0');
    if (this.#closed) {
      socket.close();
      return;
    }
    this.#socket = socket;
    socket.on('error', () => {});
    socket.on('message', (msg) => {
      if (this.#closed) return;
      this.#client.handleIncoming(msg, performance.now());
      this.#pump();
    });
    this.#client.start(performance.now());
    this.#pump();
  }

  send(peer: TransportAddress, data: Uint8Array): void {
    if (this.#closed) return;
    this.#client.send(peer, data, performance.now());
    this.#pump();
  }

  close(): void {
    if (this.#closed) return;
    this.#client.close(performance.now());
    this.#pump();
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const socket = this.#socket;
    // The deallocation (Refresh with lifetime 0) leaves on the next tick.
    if (socket) setImmediate(() => socket.close());
  }

  #pump(): void {
    const socket = this.#socket;
    if (!socket) return;
    for (let b = this.#client.pollTransmit(); b; b = this.#client.pollTransmit()) {
      socket.send(b, this.#server.port, this.#server.address, () => {});
    }
    if (this.#closed) return;
    for (let e = this.#client.pollEvent(); e; e = this.#client.pollEvent()) {
      if (e.type === 'allocated') this.#events.allocated(e.relayed, e.mapped);
      else if (e.type === 'failed') this.#events.failed(e.reason);
      else if (e.type === 'data') this.#events.data(e.peer, e.data);
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const at = this.#client.nextDeadline();
    if (at !== undefined) {
      this.#timer = setTimeout(
        () => {
          this.#client.handleTimeout(performance.now());
          this.#pump();
        },
        Math.max(0, at - performance.now()),
      );
    }
  }
}
