import { describe, expect, it } from 'vitest';
import { ConsentMonitor } from '../src/agent/consent.js';

const settings = {
  consentIntervalMs: 5000,
  disconnectedTimeoutMs: 7500,
  consentTimeoutMs: 30_000,
  keepaliveIntervalMs: 15_000,
  disconnectedUnansweredRequests: 3,
};
const fixed = (n: number) => new Uint8Array(n).fill(128);

describe('the disconnected rule (consent.ts)', () => {
  it('needs both N unanswered requests (each given a round trip) and the timeout of silence', () => {
    const m = new ConsentMonitor(settings, fixed);
    m.start(0);
    // Silence alone is not failure: nothing was asked.
    expect(m.disconnected(20_000, 20)).toBe(false);
    m.requestSent(5000);
    m.requestSent(5250);
    expect(m.disconnected(20_000, 20)).toBe(false);
    m.requestSent(5750);
    expect(m.disconnected(7499, 20)).toBe(false);
    expect(m.disconnected(7500, 20)).toBe(true);
    // The deadline is when the rule first holds (no consent request scheduled before it).
    m.stop();
    expect(m.deadline(false, 20)).toBe(7500);
  });

  it('waits for the round trip of the Nth request when the silence is already long enough', () => {
    const m = new ConsentMonitor(settings, fixed);
    m.start(0);
    m.requestSent(8000);
    m.requestSent(8250);
    m.requestSent(8750);
    expect(m.disconnected(8760, 20)).toBe(false);
    expect(m.disconnected(8770, 20)).toBe(true);
    m.stop();
    expect(m.deadline(false, 20)).toBe(8770);
  });

  it('recovers at the next response, or at the next check or data from the peer', () => {
    const m = new ConsentMonitor(settings, fixed);
    m.start(0);
    for (const t of [1000, 1250, 1750]) m.requestSent(t);
    expect(m.disconnected(8000, 20)).toBe(true);
    m.heard(8100);
    expect(m.disconnected(8100, 20)).toBe(false);
    expect(m.disconnected(15_600, 20)).toBe(true);
    m.responded(15_700);
    expect(m.disconnected(40_000, 20)).toBe(false);
  });

  it('with 0 unanswered requests configured, silence alone is enough', () => {
    const m = new ConsentMonitor({ ...settings, disconnectedUnansweredRequests: 0 }, fixed);
    m.start(0);
    expect(m.disconnected(7499, 20)).toBe(false);
    expect(m.disconnected(7500, 20)).toBe(true);
  });
});

describe('when a consent request is due (RFC 7675 section 5.1, consent.ts)', () => {
  it('with the peer asking, from 0.8 times the base after the last; by the timer, at the drawn interval', () => {
    const m = new ConsentMonitor(settings, fixed);
    m.start(1000);
    // fixed(128): 0.8 + 0.4 * 128/255 of 5 s after the start.
    expect(m.nextConsentAt).toBe(1000 + Math.round(5000 * (0.8 + (0.4 * 128) / 255)));
    expect(m.consentDue(4999, true)).toBe(false);
    expect(m.consentDue(5000, true)).toBe(true);
    expect(m.consentDue(5000)).toBe(false);
    expect(m.consentDue(m.nextConsentAt!)).toBe(true);
  });

  it('after following the peer, our own timer waits the longest interval (1.2 times the base)', () => {
    const m = new ConsentMonitor(settings, fixed);
    m.start(0);
    m.schedule(4500, true);
    expect(m.nextConsentAt).toBe(4500 + 6000);
    // The window for the next one opens 0.8 times the base after this request.
    expect(m.consentDue(8499, true)).toBe(false);
    expect(m.consentDue(8500, true)).toBe(true);
    m.schedule(8500);
    expect(m.nextConsentAt).toBe(8500 + Math.round(5000 * (0.8 + (0.4 * 128) / 255)));
  });

  it('never, once stopped', () => {
    const m = new ConsentMonitor(settings, fixed);
    m.start(0);
    m.stop();
    expect(m.consentDue(100_000, true)).toBe(false);
  });
});
