export interface ConsentSettings {
  readonly consentIntervalMs: number;
  readonly disconnectedTimeoutMs: number;
  readonly consentTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
}

/**
 * Consent freshness (RFC 7675) and keepalives (RFC 8445 section 11) of the selected pair: when
 * the next consent request and keepalive are due, and when the pair was last heard from.
 */
export class ConsentMonitor {
  /** The last consent (or check) response on the selected pair: RFC 7675 expiry counts from it. */
  lastConsentAt = 0;
  /** Last sign of life on the selected pair: a consent response, a check from the peer, or data. */
  lastHeardAt = 0;
  nextConsentAt: number | undefined;
  lastSentAt = 0;

  constructor(
    private readonly settings: ConsentSettings,
    private readonly random: (size: number) => Uint8Array,
  ) {}

  /** A pair was just selected: it has consent now. */
  start(now: number): void {
    this.lastConsentAt = now;
    this.lastHeardAt = now;
    this.lastSentAt = now;
    this.schedule(now);
  }

  stop(): void {
    this.nextConsentAt = undefined;
  }

  /** RFC 7675 section 5.1: randomised interval, 0.8 to 1.2 times the base. */
  schedule(now: number): void {
    const r = this.random(1)[0]! / 255;
    this.nextConsentAt = now + Math.round(this.settings.consentIntervalMs * (0.8 + 0.4 * r));
  }

  responded(now: number): void {
    this.lastConsentAt = now;
    this.lastHeardAt = now;
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

  consentDue(now: number): boolean {
    return this.nextConsentAt !== undefined && now >= this.nextConsentAt;
  }

  keepaliveDue(now: number): boolean {
    return now - this.lastSentAt >= this.settings.keepaliveIntervalMs;
  }

  /** The earliest time something about the selected pair changes; `disconnected` is already known. */
  deadline(disconnected: boolean): number {
    let next = this.lastSentAt + this.settings.keepaliveIntervalMs;
    if (this.nextConsentAt !== undefined) next = Math.min(next, this.nextConsentAt);
    if (!disconnected) {
      next = Math.min(
        next,
        Math.max(this.lastConsentAt, this.lastHeardAt) + this.settings.disconnectedTimeoutMs,
      );
    }
    return Math.min(next, this.lastConsentAt + this.settings.consentTimeoutMs);
  }
}
