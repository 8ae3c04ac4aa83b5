/**
 * The benchmark harness: each `bench/<name>.bench.ts` default-exports a suite built with
 * `defineSuite`; `bench/run.ts` runs them all (or those matching a filter) with benny and writes
 * `bench/results/latest.json`.
 */

export type Impl = 'purertc' | 'werift' | (string & {});

export interface BenchCase {
  /** What is measured, identical across implementations so rows can be compared. */
  case: string;
  impl: Impl;
  /** Payload bytes one operation handles; when set, MB/s is reported too. */
  bytesPerOp?: number;
  /** One operation. May be async. */
  fn: () => unknown;
}

export interface BenchSuite {
  suite: string;
  /** Builds the cases; async so a suite can do its setup (handshakes, keys) first. */
  cases: () => BenchCase[] | Promise<BenchCase[]>;
  /** Releases what setup acquired (sockets, peers). */
  teardown?: () => void | Promise<void>;
}

/** One row of `bench/results/latest.json`. Other tools read this format: keep it stable. */
export interface BenchRow {
  suite: string;
  case: string;
  impl: Impl;
  opsPerSec: number;
  mbPerSec?: number;
}

export function defineSuite(suite: BenchSuite): BenchSuite {
  return suite;
}

/** Groups rows by case and computes purertc/werift where both ran. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['suite', 'case', 'impl', 'ops/s', 'MB/s', 'purertc/werift'];
  const body: string[][] = [];
  for (const row of rows) {
    const peers = rows.filter((r) => r.suite === row.suite && r.case === row.case);
    const ours = peers.find((r) => r.impl === 'purertc');
    const theirs = peers.find((r) => r.impl === 'werift');
    const ratio =
      row.impl === 'purertc' && ours && theirs ? `${(ours.opsPerSec / theirs.opsPerSec).toFixed(2)}x` : '';
    body.push([
      row.suite,
      row.case,
      row.impl,
      formatNumber(row.opsPerSec),
      row.mbPerSec === undefined ? '' : row.mbPerSec.toFixed(1),
      ratio,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function formatNumber(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}
