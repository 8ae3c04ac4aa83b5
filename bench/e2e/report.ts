/**
 * What the end-to-end suites share: the runner's filter (so a suite measures nothing a filtered
 * run does not ask for), which stacks to run, printing, and `bench/results/e2e.json`, where the
 * figures that do not fit a `{opsPerSec, mbPerSec}` row go (medians, p90, memory, CPU).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMPLS, type ImplName, unavailable } from './peers.js';

const filters = process.argv.slice(2).filter((a) => a !== '--');

/** Same rule as bench/run.ts: a case runs when its file, suite or case name matches a filter. */
export function wanted(file: string, suite: string, caseName: string): boolean {
  return (
    filters.length === 0 ||
    filters.some((f) => [file, suite, caseName].some((n) => n.toLowerCase().includes(f.toLowerCase())))
  );
}

/** The stacks to run: E2E_IMPLS=purertc,werift narrows the list; unloadable ones are skipped. */
export function impls(among: readonly ImplName[] = IMPLS): ImplName[] {
  const only = process.env.E2E_IMPLS?.split(',').map((s) => s.trim());
  const out: ImplName[] = [];
  for (const impl of among) {
    if (only && !only.includes(impl)) continue;
    const why = unavailable(impl);
    if (why) console.log(`  skipping ${impl}: ${why}`);
    else out.push(impl);
  }
  return out;
}

export function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined ? Number.NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const resultsPath = join(fileURLToPath(new URL('../results/', import.meta.url)), 'e2e.json');

/** Merges `detail` under suite/case/impl into bench/results/e2e.json. */
export function recordDetail(suite: string, caseName: string, impl: string, detail: object): void {
  mkdirSync(join(resultsPath, '..'), { recursive: true });
  const all = existsSync(resultsPath)
    ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<
        string,
        Record<string, Record<string, object>>
      >)
    : {};
  const bySuite = all[suite] ?? {};
  const byCase = bySuite[caseName] ?? {};
  byCase[impl] = { ...detail, measuredAt: new Date().toISOString() };
  bySuite[caseName] = byCase;
  all[suite] = bySuite;
  writeFileSync(resultsPath, `${JSON.stringify(all, null, 2)}\n`);
}

/** Prints an aligned table; the first row is the header. */
export function printTable(title: string, rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  rows.forEach((r, n) => {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';
