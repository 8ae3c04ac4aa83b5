export interface ConsentSettings {
  readonly consentIntervalMs: number;
  readonly disconnectedTimeoutMs: number;
  readonly consentTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly disconnectedUnansweredRequests: number;
}

/**
 * Consent freshness (RFC 7675) and keepalives (RFC 8445 section 11) of the selected pair: when
 * the next consent request and keepalive are due, when the pair was last heard from, and the
 * rule for `disconnected`.
 *
 * RFC 7675 section 5.1 defines only expiry (`failed`, 30 s after the last response);
 * `disconnected` is the W3C state for "checks are failing, may resolve on its own". Chrome
 * (libwebrtc) marks its selected connection unwritable once 5 pings went unanswered and 5 s
 * passed since the first of them (it pings a stable selected pair every 2.5 s, without
 * retransmission), and writable again at the next response. Here, with retransmitted consent
 * requests, the pair is `disconnected` while BOTH hold:
 *  1. the last `disconnectedUnansweredRequests` (default 3) requests sent on it since its last
 *     response (consent and check transmissions, retransmissions included) all had a round trip
 *     time to be answered, and were not;
 *  2. nothing has arrived on it (a response, a check from the peer, data) for
 *     `disconnectedTimeoutMs` (default 7.5 s).
 * It returns to `connected` at the first arrival that breaks either: a response, a check, data.
 * Condition 1 keeps silence alone (a pair we did not ask, e.g. a long consent interval) from
 * counting as failure; condition 2 keeps a short burst of loss from counting.
 */
export class ConsentMonitor {
  /** The last consent (or check) response on the selected pair: RFC 7675 expiry counts from it. */
  lastConsentAt = 0;
  /** Last sign of life on the selected pair: a consent response, a check from the peer, or data. */
  lastHeardAt = 0;
  nextConsentAt: number | undefined;
  /** When the interval to `nextConsentAt` began: the last consent request, or the selection. */
  private scheduledAt = 0;
  lastSentAt = 0;
  /** Send times of requests on the pair since its last response; the first N are enough. */
  private readonly unanswered: number[] = [];

  constructor(
    private readonly settings: ConsentSettings,
    private readonly random: (size: number) => Uint8Array,
  ) {}

  /** A pair was just selected: it has consent now. */
  start(now: number): void {
    this.lastConsentAt = now;
    this.lastHeardAt = now;
    this.lastSentAt = now;
    this.unanswered.length = 0;
    this.schedule(now);
  }

  stop(): void {
    this.nextConsentAt = undefined;
  }

  /**
   * RFC 7675 section 5.1: randomised interval, 0.8 to 1.2 times the base. `following`: the
   * request just sent went with our answer to the peer's (see `consentDue`); the peer's next one,
   * which its own randomised timer sends within 1.2 times the base, normally carries our next
   * too, so our timer waits the longest interval allowed and only stands in when the peer is
   * late. Otherwise the two timers would race and whichever drew the shorter interval would
   * lead, shortening the average interval to 0.93 times the base.
   */
  schedule(now: number, following = false): void {
    const r = following ? 1 : this.random(1)[0]! / 255;
    this.scheduledAt = now;
    this.nextConsentAt = now + Math.round(this.settings.consentIntervalMs * (0.8 + 0.4 * r));
  }

  responded(now: number): void {
    this.lastConsentAt = now;
    this.lastHeardAt = now;
    this.unanswered.length = 0;
  }

  /** A consent or check request (or a retransmission) went out on the pair. */
  requestSent(now: number): void {
    if (this.unanswered.length < this.settings.disconnectedUnansweredRequests) this.unanswered.push(now);
  }

  /** When condition 1 of the rule above holds (given the round trip time), if it can yet. */
  private unansweredSince(rttMs: number): number | undefined {
    const n = this.settings.disconnectedUnansweredRequests;
    if (n <= 0) return Number.NEGATIVE_INFINITY;
    const nth = this.unanswered[n - 1];
    return nth === undefined ? undefined : nth + rttMs;
  }

  /** The `disconnected` rule above. */
  disconnected(now: number, rttMs: number): boolean {
    const since = this.unansweredSince(rttMs);
    return since !== undefined && now >= since && this.sinceHeard(now) >= this.settings.disconnectedTimeoutMs;
  }

  heard(now: number): void {
    this.lastHeardAt = now;
  }

  sent(now: number): void {
    this.lastSentAt = now;
  }

  sinceHeard(now: number): number {
    return now - Math.max(this.lastConsentAt, this.lastHeardAt);
  }

  /**
   * `peerAsked`: a request from the peer on the pair just woke us. Our own request then goes with
   * our answer once the shortest interval RFC 7675 section 5.1 allows (0.8 times the base) has
   * passed, instead of waking again for it up to 0.4 times the base later: the spacing stays
   * within 0.8-1.2 times the base, and of two agents doing this only one ever wakes for consent
   * (the other's requests follow its own, see `schedule`), so an idle connection's timer fires
   * half as often.
   */
  consentDue(now: number, peerAsked = false): boolean {
    if (this.nextConsentAt === undefined) return false;
    if (now >= this.nextConsentAt) return true;
    return peerAsked && now >= this.scheduledAt + Math.round(this.settings.consentIntervalMs * 0.8);
  }

  keepaliveDue(now: number): boolean {
    return now - this.lastSentAt >= this.settings.keepaliveIntervalMs;
  }

  /** The earliest time something about the selected pair changes; `disconnected` is already known. */
  deadline(disconnected: boolean, rttMs: number): number {
    let next = this.lastSentAt + this.settings.keepaliveIntervalMs;
    if (this.nextConsentAt !== undefined) next = Math.min(next, this.nextConsentAt);
    const since = this.unansweredSince(rttMs);
    // Until enough requests went out, the next send (itself a deadline) re-evaluates the rule.
    if (!disconnected && since !== undefined) {
      const silentUntil =
        Math.max(this.lastConsentAt, this.lastHeardAt) + this.settings.disconnectedTimeoutMs;
      next = Math.min(next, Math.max(since, silentUntil));
    }
    return Math.min(next, this.lastConsentAt + this.settings.consentTimeoutMs);
  }
}
