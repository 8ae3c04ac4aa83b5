/**
 * The benchmark harness: each `bench/<name>.bench.ts` default-exports a suite built with
 * `defineSuite`; `bench/run.ts` runs them all (or those matching a filter) with benny and writes
 * `bench/results/latest.json`.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

/** Groups rows by case and computes purertc/werift where both ran (also for purertc variants, e.g. `purertc-1200`). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['suite', 'case', 'impl', 'ops/s', 'MB/s', 'purertc/werift'];
  const body: string[][] = [];
  for (const row of rows) {
    const peers = rows.filter((r) => r.suite === row.suite && r.case === row.case);
    const theirs = peers.find((r) => r.impl === 'werift');
    const ratio =
      row.impl.startsWith('purertc') && theirs ? `${(row.opsPerSec / theirs.opsPerSec).toFixed(2)}x` : '';
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

/**
 * A case whose rate was measured outside benny (end-to-end runs that take seconds per sample and
 * report their own medians). Its `fn` spins for one measured operation time so the runner prints
 * and records a row like any other; since benny rounds ops/s and a busy machine stretches a spin,
 * the exact measured figures replace those rows in bench/results/latest.json when the run exits.
 */
export function measuredCase(measured: {
  case: string;
  impl: Impl;
  opsPerSec: number;
  bytesPerOp?: number;
  suite: string;
}): BenchCase {
  const row: BenchRow = {
    suite: measured.suite,
    case: measured.case,
    impl: measured.impl,
    opsPerSec: measured.opsPerSec,
  };
  if (measured.bytesPerOp !== undefined) row.mbPerSec = (measured.opsPerSec * measured.bytesPerOp) / 1e6;
  exactRows.push(row);
  if (exactRows.length === 1) process.once('exit', writeExactRows);
  const periodNs = BigInt(Math.max(1, Math.round(1e9 / measured.opsPerSec)));
  return {
    case: measured.case,
    impl: measured.impl,
    ...(measured.bytesPerOp === undefined ? {} : { bytesPerOp: measured.bytesPerOp }),
    fn: () => {
      const end = process.hrtime.bigint() + periodNs;
      while (process.hrtime.bigint() < end) {
        // Spin: the measured operation's duration.
      }
    },
  };
}

const exactRows: BenchRow[] = [];
const startedAt = Date.now();

function writeExactRows(): void {
  const path = fileURLToPath(new URL('./results/latest.json', import.meta.url));
  // Only a latest.json this run wrote holds the replayed rows.
  if (!existsSync(path) || statSync(path).mtimeMs < startedAt) return;
  const rows = JSON.parse(readFileSync(path, 'utf8')) as BenchRow[];
  const key = (r: BenchRow) => `${r.suite}\u0000${r.case}\u0000${r.impl}`;
  const exact = new Map(exactRows.map((r) => [key(r), r]));
  let replaced = 0;
  const out = rows.map((r) => {
    const e = exact.get(key(r));
    if (e) replaced++;
    return e ?? r;
  });
  if (replaced > 0) writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
}
