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
