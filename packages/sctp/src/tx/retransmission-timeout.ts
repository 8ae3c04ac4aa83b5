/**
 * RTO per RFC 6298 (RFC 9260 6.3.1): SRTT/RTTVAR smoothing with alpha 1/8 and beta 1/4, RTO =
 * SRTT + 4*RTTVAR clamped to [min, max]. Karn's rule (no samples from retransmitted chunks) is
 * applied by the caller, which only measures chunks sent once.
 */
export class RetransmissionTimeout {
  private srtt: number | undefined;
  private rttvar = 0;
  private current: number;
  /** The RTO as measured, before any backoff: backoff never goes below it. */
  private measured: number;

  /**
   * `backoffCap` bounds how far expiries double the RTO (dcSCTP's max_timer_backoff_duration,
   * 3 s in WebRTC): under sustained loss RTO.Max (60 s) would leave a lossy but live path idle
   * for minutes between single-packet retransmissions.
   */
  constructor(
    private readonly initial: number,
    private readonly min: number,
    private readonly max: number,
    private readonly backoffCap = max,
  ) {
    this.current = initial;
    this.measured = initial;
  }

  get rto(): number {
    return this.current;
  }

  get smoothedRtt(): number | undefined {
    return this.srtt;
  }

  observe(rtt: number): void {
    if (rtt < 0 || !Number.isFinite(rtt)) return;
    if (this.srtt === undefined) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    // Clock granularity G: our clock is in ms, so 1 ms (RFC 6298 2.3).
    this.current = Math.min(this.max, Math.max(this.min, this.srtt + Math.max(1, 4 * this.rttvar)));
    this.measured = this.current;
  }

  /**
   * RFC 6298 5.5 / RFC 9260 6.3.3 E2: double on expiry, capped at RTO.Max and at the backoff cap
   * (but never below the measured RTO, so a long path still gets its full timeout).
   */
  backoff(): void {
    const cap = Math.min(this.max, Math.max(this.backoffCap, this.measured));
    this.current = Math.max(this.current, Math.min(cap, this.current * 2));
  }

  reset(): void {
    this.srtt = undefined;
    this.current = this.initial;
    this.measured = this.initial;
  }
}
