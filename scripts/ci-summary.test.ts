import { describe, expect, it } from 'vitest';
import { summarize } from './ci-summary.js';

const report = (passed: number, failed: number, pending = 0, failedSuites = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: pending,
  numTodoTests: 0,
  numTotalTests: passed + failed + pending,
  numFailedTestSuites: failedSuites,
});

describe('CI summary line', () => {
  it('prints passed and failed, and skipped only when there are any', () => {
    expect(summarize(report(10, 0))).toEqual({ line: '10 passed, 0 failed', ok: true });
    expect(summarize(report(10, 2, 3))).toEqual({ line: '10 passed, 2 failed, 3 skipped', ok: false });
  });

  it('fails when nothing ran or a test file failed to load', () => {
    expect(summarize(report(0, 0)).ok).toBe(false);
    expect(summarize(report(5, 0, 0, 1))).toEqual({ line: '5 passed, 1 failed', ok: false });
  });
});
