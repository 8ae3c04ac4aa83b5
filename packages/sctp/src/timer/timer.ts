/**
 * A deadline-only timer: the association asks which timer is due (sans-I/O, no callbacks into a
 * clock). Backoff doubles the duration on every expiry up to `maxDuration` (RFC 9260 6.3.3 E2,
 * and the same rule for T1 and T2).
 */
export class Timer {
  deadline: number | undefined;
  /** Expiries since the last start(); drives the error counters and backoff. */
  expirations = 0;

  constructor(
    readonly name: string,
    public duration: number,
    private readonly maxDuration = Number.POSITIVE_INFINITY,
  ) {}

  get running(): boolean {
    return this.deadline !== undefined;
  }

  /** Starts (or restarts) with the base duration, clearing backoff. */
  start(now: number, duration = this.duration): void {
    this.duration = duration;
    this.expirations = 0;
    this.deadline = now + duration;
  }

  /** Starts only when not running (RFC 9260 6.3.2 R1). */
  startIfStopped(now: number, duration = this.duration): void {
    if (this.deadline === undefined) this.start(now, duration);
  }

  stop(): void {
    this.deadline = undefined;
    this.expirations = 0;
  }

  isDue(now: number): boolean {
    return this.deadline !== undefined && now >= this.deadline;
  }

  /** Records an expiry and re-arms with the backed-off duration; the owner may stop() it. */
  expireAndBackoff(now: number): void {
    this.expirations++;
    // A timer started above its ceiling (a long measured RTO) keeps that duration, never shrinks.
    this.duration = Math.min(this.duration * 2, Math.max(this.maxDuration, this.duration));
    this.deadline = now + this.duration;
  }
}

/** The handful of timers one association owns; the earliest deadline is what the driver waits for. */
export class TimerSet {
  private readonly timers: Timer[] = [];

  add(timer: Timer): Timer {
    this.timers.push(timer);
    return timer;
  }

  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers) {
      if (t.deadline !== undefined && (min === undefined || t.deadline < min)) min = t.deadline;
    }
    return min;
  }

  stopAll(): void {
    for (const t of this.timers) t.stop();
  }
}
