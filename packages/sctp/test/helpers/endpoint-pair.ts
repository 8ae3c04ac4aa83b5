/** Anything sans-I/O with the association's driving surface. */
export interface Endpoint {
  handlePacket(bytes: Uint8Array, now: number): void;
  handleTimeout(now: number): void;
  nextDeadline(): number | undefined;
  pollTransmit(now?: number): Buffer | undefined;
}

/** Two endpoints back to back on a virtual clock with a fixed one-way delay. */
export class EndpointPair<E extends Endpoint> {
  now = 0;
  private readonly flight: { at: number; to: E; bytes: Buffer }[] = [];

  constructor(
    readonly a: E,
    readonly b: E,
    readonly delayMs = 10,
    private readonly onIdle: () => void = () => {},
  ) {}

  flush(): void {
    for (const [from, to] of [
      [this.a, this.b],
      [this.b, this.a],
    ] as const) {
      for (let p = from.pollTransmit(this.now); p; p = from.pollTransmit(this.now)) {
        this.flight.push({ at: this.now + this.delayMs, to, bytes: p });
      }
    }
    this.onIdle();
  }

  step(): boolean {
    let next = Number.POSITIVE_INFINITY;
    for (const f of this.flight) next = Math.min(next, f.at);
    for (const e of [this.a, this.b]) {
      const d = e.nextDeadline();
      if (d !== undefined) next = Math.min(next, d);
    }
    if (next === Number.POSITIVE_INFINITY) return false;
    this.now = Math.max(this.now, next);
    while (this.flight.length > 0 && this.flight[0]!.at <= this.now) {
      const f = this.flight.shift()!;
      f.to.handlePacket(f.bytes, this.now);
      this.flush();
    }
    for (const e of [this.a, this.b]) {
      const d = e.nextDeadline();
      if (d !== undefined && d <= this.now) e.handleTimeout(this.now);
    }
    this.flush();
    return true;
  }

  runUntil(done: () => boolean, maxMs = 30_000): boolean {
    const end = this.now + maxMs;
    while (!done()) if (this.now > end || !this.step()) return done();
    return true;
  }
}
