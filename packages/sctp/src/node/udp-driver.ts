import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';

/** The sans-I/O surface of an association or a data channel manager. */
export interface SansIoEndpoint {
  handlePacket(bytes: Uint8Array, now: number): void;
  handleTimeout(now: number): void;
  nextDeadline(): number | undefined;
  pollTransmit(now?: number): Buffer | undefined;
}

/**
 * A thin driver for SCTP directly over UDP (RFC 6951 style, without DTLS): tests and tools
 * only; WebRTC puts SCTP inside DTLS. One timer, set to the core's earliest deadline.
 */
export class SctpUdpDriver {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly origin = performance.now();

  constructor(
    readonly endpoint: SansIoEndpoint,
    private readonly socket: Socket,
    private readonly remote: { address: string; port: number },
    private readonly onActivity: () => void = () => {},
  ) {
    socket.on('message', (msg) => {
      if (this.closed) return;
      this.endpoint.handlePacket(msg, this.now());
      this.flush();
    });
  }

  now(): number {
    return performance.now() - this.origin;
  }

  /** Sends what the core has queued and re-arms the timer; call after every API call on the core. */
  flush(): void {
    if (this.closed) return;
    const now = this.now();
    for (let p = this.endpoint.pollTransmit(now); p; p = this.endpoint.pollTransmit(now)) {
      this.socket.send(p, this.remote.port, this.remote.address);
    }
    this.onActivity();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = this.endpoint.nextDeadline();
    if (deadline !== undefined) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.endpoint.handleTimeout(this.now());
          this.flush();
        },
        Math.max(0, deadline - now),
      );
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
