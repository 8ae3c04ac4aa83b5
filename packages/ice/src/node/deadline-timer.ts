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
      Math.max(0, at - now),
    );
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
