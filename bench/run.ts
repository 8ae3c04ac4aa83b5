/**
 * `npm run bench [-- <filter>...]`: runs every bench/*.bench.ts whose file name, suite or case
 * contains one of the filters, prints a table and writes bench/results/latest.json.
 * BENCH_MAX_TIME (seconds per case, default 1) trades precision for time.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import b from 'benny';
import { type BenchRow, type BenchSuite, formatTable } from './harness.js';
import { machineInfo } from './machine.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2).filter((a) => a !== '--');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? '1');

const matches = (...names: string[]) =>
  filters.length === 0 || filters.some((f) => names.some((n) => n.toLowerCase().includes(f.toLowerCase())));

async function runSuite(file: string, suite: BenchSuite): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Teardown runs whatever happens: suites acquire sockets and peers in cases().
  try {
    const all = await suite.cases();
    const cases = all.filter((c) => matches(file, suite.suite, c.case));
    if (cases.length === 0) return rows;
    await b.suite(
      suite.suite,
      ...cases.map((c) => b.add(`${c.case} [${c.impl}]`, c.fn, { maxTime, minSamples: 5 })),
      b.complete((summary) => {
        summary.results.forEach((result, i) => {
          const c = cases[i]!;
          const row: BenchRow = { suite: suite.suite, case: c.case, impl: c.impl, opsPerSec: result.ops };
          if (c.bytesPerOp !== undefined) row.mbPerSec = (result.ops * c.bytesPerOp) / 1e6;
          rows.push(row);
        });
      }),
    );
  } finally {
    await suite.teardown?.();
  }
  return rows;
}

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const rows: BenchRow[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default?: BenchSuite };
  if (!mod.default) throw new Error(`${file} must default-export defineSuite(...)`);
  rows.push(...(await runSuite(file, mod.default)));
}

if (rows.length === 0) {
  console.error(`no benchmark matched ${filters.join(', ') || '(all)'}`);
  process.exit(1);
}
console.log(`\n${formatTable(rows)}\n`);
const outDir = join(benchDir, 'results');
mkdirSync(outDir, { recursive: true });
// A filtered run replaces its own rows and keeps the rest of the previous results.
const latestPath = join(outDir, 'latest.json');
const key = (r: BenchRow) => `${r.suite}\u0000${r.case}\u0000${r.impl}`;
const fresh = new Set(rows.map(key));
const previous: BenchRow[] =
  filters.length > 0 && existsSync(latestPath)
    ? (JSON.parse(readFileSync(latestPath, 'utf8')) as BenchRow[])
    : [];
const merged = [...previous.filter((r) => !fresh.has(key(r))), ...rows];
writeFileSync(latestPath, `${JSON.stringify(merged, null, 2)}\n`);
writeFileSync(join(outDir, 'machine.json'), `${JSON.stringify(machineInfo(), null, 2)}\n`);
console.log(
  `wrote ${join('bench', 'results', 'latest.json')} (${rows.length} new rows, ${merged.length} in all)`,
);
// Suites that leak a handle must not keep the run alive once results are written.
process.exit(0);
