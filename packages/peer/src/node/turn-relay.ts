import type { Socket } from 'node:dgram';
import { type Socket as TcpSocket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { bindUdp, splitStreamMessages, type TransportAddress, TurnClient } from '@purertc/ice';

export interface TurnRelayEvents {
  allocated(relayed: TransportAddress, mapped: TransportAddress | undefined): void;
  failed(reason: string): void;
  data(peer: TransportAddress, data: Buffer): void;
}

/** How we reach the TURN server (RFC 8656 3.1): UDP, TCP, or TLS over TCP (`turns:`). */
export type TurnServerTransport = 'udp' | 'tcp' | 'tls';

export interface TurnRelayOptions {
  transport: TurnServerTransport;
  /** For TLS: the name the server's certificate must carry (default: the URL's host). */
  servername?: string;
  /** For TLS: CA certificates (PEM) trusted beyond the system ones, e.g. a test's self-signed one. */
  ca?: readonly (string | Buffer)[];
}

/** Buffered stream bytes past this size without a complete message mean a broken server. */
const MAX_STREAM_BUFFER = 128 * 1024;

/**
 * One TURN allocation (RFC 8656) driven by the ice package's sans-I/O TurnClient: its own socket
 * or connection to the server and one timer. Over TCP and TLS, STUN and ChannelData messages
 * share the stream (RFC 8656 12.5) and the client does not retransmit. Data to peers goes
 * through `send`, data from peers comes out through `events.data`.
 */
export class TurnRelay {
  readonly #client: TurnClient;
  readonly #server: TransportAddress;
  readonly #events: TurnRelayEvents;
  readonly #options: TurnRelayOptions;
  #udp: Socket | undefined;
  #stream: TcpSocket | undefined;
  #streamBuffer: Buffer = Buffer.alloc(0);
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    server: TransportAddress,
    username: string,
    password: string,
    events: TurnRelayEvents,
    options: TurnRelayOptions = { transport: 'udp' },
  ) {
    this.#server = server;
    this.#events = events;
    this.#options = options;
    this.#client = new TurnClient({
      username,
      password,
      transport: options.transport === 'udp' ? 'udp' : 'tcp',
    });
  }

  async start(): Promise<void> {
    if (this.#options.transport === 'udp') await this.#startUdp();
    else this.#startStream();
  }

  async #startUdp(): Promise<void> {
    const socket = await bindUdp(this.#server.address.includes(':') ? '::' : '0.0.0.0');
    if (this.#closed) {
      socket.close();
      return;
    }
    this.#udp = socket;
    socket.on('error', () => {});
    socket.on('message', (msg) => {
      if (this.#closed) return;
      this.#client.handleIncoming(msg, performance.now());
      this.#pump();
    });
    this.#client.start(performance.now());
    this.#pump();
  }

  #startStream(): void {
    const { address, port } = this.#server;
    const tls = this.#options.transport === 'tls';
    const stream = tls
      ? tlsConnect({
          host: address,
          port,
          // RFC 6066 3: no SNI for a literal IP address.
          ...(this.#options.servername ? { servername: this.#options.servername } : {}),
          ...(this.#options.ca ? { ca: [...this.#options.ca] } : {}),
        })
      : tcpConnect({ host: address, port });
    this.#stream = stream;
    stream.setNoDelay(true);
    stream.on(tls ? 'secureConnect' : 'connect', () => {
      if (this.#closed) return;
      this.#client.start(performance.now());
      this.#pump();
    });
    stream.on('data', (chunk: Buffer) => this.#onStreamData(chunk));
    stream.on('error', (e) => this.#streamEnded(e.message));
    stream.on('close', () => this.#streamEnded('the connection to the TURN server closed'));
  }

  #onStreamData(chunk: Buffer): void {
    if (this.#closed) return;
    this.#streamBuffer = this.#streamBuffer.length ? Buffer.concat([this.#streamBuffer, chunk]) : chunk;
    const { messages, consumed, error } = splitStreamMessages(this.#streamBuffer);
    const now = performance.now();
    for (const m of messages) this.#client.handleIncoming(m, now);
    this.#streamBuffer = Buffer.from(this.#streamBuffer.subarray(consumed));
    if (error || this.#streamBuffer.length > MAX_STREAM_BUFFER) this.#stream?.destroy();
    this.#pump();
  }

  /** A lost control connection ends the allocation (RFC 8656 3.1: it lives on that connection). */
  #streamEnded(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#events.failed(reason);
  }

  send(peer: TransportAddress, data: Uint8Array): void {
    if (this.#closed) return;
    this.#client.send(peer, data, performance.now());
    this.#pump();
  }

  close(): void {
    if (this.#closed) {
      this.#stream?.destroy();
      return;
    }
    this.#client.close(performance.now());
    this.#pump();
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const udp = this.#udp;
    // The deallocation (Refresh with lifetime 0) leaves on the next tick.
    if (udp) setImmediate(() => udp.close());
    const stream = this.#stream;
    if (stream) {
      stream.end();
      setImmediate(() => stream.destroy());
    }
  }

  #pump(): void {
    for (let b = this.#client.pollTransmit(); b; b = this.#client.pollTransmit()) {
      if (this.#udp) this.#udp.send(b, this.#server.port, this.#server.address, () => {});
      else if (this.#stream && !this.#stream.destroyed) this.#stream.write(b);
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
