import { debuglog } from 'node:util';
import type { PeerDriver } from '../driver/driver.js';
import type { PeerTransport, PeerTransportEvent } from '../transport/peer-transport.js';

const log = debuglog('purertc:peer');

/**
 * Connects a sans-I/O PeerTransport to a driver: received datagrams in, transmits out, one timer
 * at the transport's next deadline. Re-entrant: an event handler that sends data while events
 * are being delivered only marks more work for the loop already running.
 */
export class TransportIo {
  readonly driver: PeerDriver;
  readonly transport: PeerTransport;
  readonly #onEvent: (event: PeerTransportEvent) => void;
  #flushing = false;
  #again = false;
  #closed = false;
  #timerAt: number | undefined;
  #flushQueued = false;
  /**
   * Another sans-I/O core sharing this connection's one timer (RTCP): its deadline joins the
   * transport's, and its timeout runs before the transport is pumped.
   */
  timers: { nextDeadline(): number | undefined; handleTimeout(now: number): void } | undefined;

  constructor(driver: PeerDriver, transport: PeerTransport, onEvent: (event: PeerTransportEvent) => void) {
    this.driver = driver;
    this.transport = transport;
    this.#onEvent = onEvent;
    driver.onDatagram((socketId, address, port, data) => {
      if (this.#closed) return;
      this.#guard(() => transport.handleDatagram(socketId, { address, port }, data, driver.now()));
      this.flush();
    });
  }

  now(): number {
    return this.driver.now();
  }

  /** Runs an operation on the transport, then moves whatever it produced. */
  run(fn: (now: number) => void): void {
    this.#guard(() => fn(this.driver.now()));
    this.flush();
  }

  /**
   * Flushes once the current task's synchronous work is done, so that a burst of sends from one
   * task shares SCTP packets (bundling, RFC 9260 6.10) instead of one datagram per message.
   */
  requestFlush(): void {
    if (this.#flushQueued || this.#closed) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.flush();
    });
  }

  flush(): void {
    if (this.#closed) return;
    if (this.#flushing) {
      this.#again = true;
      return;
    }
    this.#flushing = true;
    try {
      do {
        this.#again = false;
        this.#guard(() => this.transport.pump(this.driver.now()));
        for (let t = this.transport.pollTransmit(); t; t = this.transport.pollTransmit()) {
          this.driver.send(t.socketId, t.destination.address, t.destination.port, t.data);
        }
        for (let e = this.transport.pollEvent(); e; e = this.transport.pollEvent()) {
          const event = e;
          this.#guard(() => this.#onEvent(event));
          if (this.#closed) return;
        }
      } while (this.#again);
      this.#schedule();
    } finally {
      this.#flushing = false;
    }
  }

  /** Sends the transport's last words (ABORT, close_notify), then releases the driver. */
  close(): void {
    if (this.#closed) return;
    this.#guard(() => this.transport.close(this.driver.now()));
    for (let t = this.transport.pollTransmit(); t; t = this.transport.pollTransmit()) {
      this.driver.send(t.socketId, t.destination.address, t.destination.port, t.data);
    }
    this.#closed = true;
    this.driver.setTimer(undefined, () => {});
    this.driver.close();
  }

  #schedule(): void {
    const transportAt = this.transport.nextDeadline();
    const otherAt = this.timers?.nextDeadline();
    const at =
      transportAt === undefined
        ? otherAt
        : otherAt === undefined
          ? transportAt
          : Math.min(transportAt, otherAt);
    if (at === this.#timerAt) return;
    this.#timerAt = at;
    this.driver.setTimer(at, () => {
      this.#timerAt = undefined;
      if (this.#closed) return;
      const now = this.driver.now();
      this.#guard(() => this.timers?.handleTimeout(now));
      // The timer may be the RTCP deadline: the transport's cores run only when theirs is due.
      const transportDue = this.transport.nextDeadline();
      if (transportDue !== undefined && transportDue <= now) {
        this.#guard(() => this.transport.handleTimeout(now));
      }
      this.flush();
    });
  }

  /** Nothing thrown inside the stack may reach the event loop as an uncaught exception. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log('internal error: %s', e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }
}
