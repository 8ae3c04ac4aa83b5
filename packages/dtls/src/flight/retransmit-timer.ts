/** RFC 6347 4.2.4.1: 1 s initial timer, doubled on each expiry, capped at 60 s. */
export interface RetransmitPolicy {
  /** Initial timeout. The RFC says 1000 ms; WebRTC stacks often start lower to get media flowing sooner. */
  initialMs: number;
  maxMs: number;
  /** Give up after this many retransmissions of one flight. */
  maxRetransmits: number;
}

export const DEFAULT_RETRANSMIT_POLICY: RetransmitPolicy = {
  initialMs: 1000,
  maxMs: 60_000,
  maxRetransmits: 10,
};

/** The timer for the flight in progress; pure arithmetic over the caller's clock. */
export class RetransmitTimer {
  private timeoutMs: number;
  private deadline: number | undefined;
  private count = 0;

  constructor(private readonly policy: RetransmitPolicy) {
    this.timeoutMs = policy.initialMs;
  }

  /** A new flight went out: the timer restarts from the initial value (RFC 6347 4.2.4.1 resets after success). */
  startFlight(now: number): void {
    this.timeoutMs = this.policy.initialMs;
    this.count = 0;
    this.deadline = now + this.timeoutMs;
  }

  /** The peer's flight arrived; nothing more to retransmit until we send again. */
  stop(): void {
    this.deadline = undefined;
  }

  get nextDeadline(): number | undefined {
    return this.deadline;
  }

  get retransmissions(): number {
    return this.count;
  }

  get currentTimeoutMs(): number {
    return this.timeoutMs;
  }

  /** 'retransmit' when the deadline passed (and backs off), 'give-up' past the budget, else 'idle'. */
  onTimeout(now: number): 'retransmit' | 'give-up' | 'idle' {
    if (this.deadline === undefined || now < this.deadline) return 'idle';
    if (this.count >= this.policy.maxRetransmits) {
      this.deadline = undefined;
      return 'give-up';
    }
    this.count++;
    this.timeoutMs = Math.min(this.timeoutMs * 2, this.policy.maxMs);
    this.deadline = now + this.timeoutMs;
    return 'retransmit';
  }
}
