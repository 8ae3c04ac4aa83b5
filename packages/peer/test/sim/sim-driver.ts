import type { LocalCandidateInput } from '@purertc/ice';
import type { SimHost, SimNetwork, SimSocket } from '@purertc/test/sim';
import type { DatagramHandler, GatherOptions, PeerDriver } from '../../src/index.js';

/** A PeerDriver over the simulated network: one socket per host address, the virtual clock. */
export class SimDriver implements PeerDriver {
  readonly #net: SimNetwork;
  readonly #host: SimHost;
  #handler: DatagramHandler = () => {};
  readonly #sockets = new Map<string, SimSocket>();
  #timerAt: number | undefined;
  #timerCallback: (() => void) | undefined;
  readonly #removeTimerNode: () => void;
  closed = false;

  constructor(net: SimNetwork, host: SimHost) {
    this.#net = net;
    this.#host = host;
    this.#removeTimerNode = net.addTimerNode({
      nextDeadline: () => this.#timerAt,
      handleTimeout: () => {
        const callback = this.#timerCallback;
        this.#timerAt = undefined;
        this.#timerCallback = undefined;
        callback?.();
      },
    });
  }

  /** Another transport's driver on the same host and clock (its sockets get new ports). */
  fork(): PeerDriver {
    return new SimDriver(this.#net, this.#host);
  }

  now(): number {
    return this.#net.now;
  }

  wallClock(): number {
    return 1_700_000_000_000 + this.#net.now;
  }

  onDatagram(handler: DatagramHandler): void {
    this.#handler = handler;
  }

  async gather(_options: GatherOptions, onCandidate: (c: LocalCandidateInput) => void): Promise<void> {
    this.#host.addresses.forEach((address, i) => {
      const socketId = `sim${i}`;
      const socket = this.#host.bind(
        (datagram) =>
          this.#handler(socketId, datagram.from.host, datagram.from.port, Buffer.from(datagram.data)),
        { address },
      );
      this.#sockets.set(socketId, socket);
      onCandidate({ socketId, type: 'host', address, port: socket.address.port });
    });
  }

  send(socketId: string, address: string, port: number, data: Uint8Array): void {
    if (this.closed) return;
    this.#sockets.get(socketId)?.send(data, { host: address, port });
  }

  setTimer(at: number | undefined, callback: () => void): void {
    this.#timerAt = at;
    this.#timerCallback = at === undefined ? undefined : callback;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.#sockets.values()) s.close();
    this.#sockets.clear();
    this.#timerAt = undefined;
    this.#removeTimerNode();
  }
}
