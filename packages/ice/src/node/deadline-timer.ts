/** The driver's one timer, kept at the earliest deadline of everything it drives. */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private at = Number.POSITIVE_INFINITY;

  constructor(private readonly fire: () => void) {}

  /** Re-arms for `at` (ms on the driver's clock), or stops when nothing is due. */
  set(at: number | undefined, now: number): void {
    if (at === undefined) {
      this.clear();
      return;
    }
    // Re-arming on every pump would churn timers for nothing when the deadline did not move.
    if (this.timer && at === this.at) return;
    if (this.timer) clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.at = Number.POSITIVE_INFINITY;
        this.fire();
      },
      // Whole milliseconds, rounded up: Node's timers count whole ms, and a fractional wait cut
      // short would fire before the deadline and cost a second wake-up for the rest.
      Math.max(0, Math.ceil(at - now)),
    );
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
