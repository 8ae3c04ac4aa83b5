/**
 * Reads vitest's JSON report and prints the one plain line CI looks for:
 * `N passed, N failed` (`, N skipped` when any). Exits non-zero when a test failed, when the
 * report is missing, or when no test ran.
 */
import { existsSync, readFileSync } from 'node:fs';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
  numFailedTestSuites?: number;
}

export function summarize(report: VitestJsonReport): { line: string; ok: boolean } {
  const skipped = report.numPendingTests + report.numTodoTests;
  // A test file that fails to load has no tests but is still a failure.
  const failed =
    report.numFailedTests + Math.max(0, (report.numFailedTestSuites ?? 0) - report.numFailedTests);
  let line = `${report.numPassedTests} passed, ${failed} failed`;
  if (skipped > 0) line += `, ${skipped} skipped`;
  return { line, ok: failed === 0 && report.numPassedTests > 0 };
}

const path = process.argv[2] ?? 'reports/vitest.json';
if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(path)) {
    console.log('0 passed, 1 failed');
    console.error(`no vitest report at ${path}: the test command failed before the tests ran`);
    process.exit(1);
  }
  const { line, ok } = summarize(JSON.parse(readFileSync(path, 'utf8')) as VitestJsonReport);
  console.log(line);
  process.exit(ok ? 0 : 1);
}
