/**
 * `npm run bench:report`: renders bench/results/latest.json (and machine.json) into
 * bench/results/REPORT.md with one SVG bar chart per suite: purertc's throughput as a ratio of
 * werift's for each case, the absolute figures beside the bars.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRow, formatTable } from './harness.js';
import type { MachineInfo } from './machine.js';
import { type RatioBar, ratioChartSvg } from './svg-chart.js';

const dir = fileURLToPath(new URL('./results/', import.meta.url));
const rows = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as BenchRow[];
const machine: MachineInfo | undefined = existsSync(join(dir, 'machine.json'))
  ? (JSON.parse(readFileSync(join(dir, 'machine.json'), 'utf8')) as MachineInfo)
  : undefined;

const suites = [...new Set(rows.map((r) => r.suite))];
const out: string[] = ['# purertc benchmark report', ''];
if (machine) {
  out.push(
    `Run on ${machine.date.slice(0, 10)}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB,`,
    `Node ${machine.node} (${machine.platform}); ${Object.entries(machine.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}.`,
    '',
  );
}
out.push(
  'Both implementations run in the same process in the same run; the ratio is purertc ops/s over',
  "werift's. Reproduce with `npm run bench` then `npm run bench:report`.",
  '',
);

for (const suite of suites) {
  const suiteRows = rows.filter((r) => r.suite === suite);
  out.push(`## ${suite}`, '');
  const bars: RatioBar[] = [];
  for (const c of [...new Set(suiteRows.map((r) => r.case))]) {
    const ours = suiteRows.find((r) => r.case === c && r.impl === 'purertc');
    const theirs = suiteRows.find((r) => r.case === c && r.impl === 'werift');
    if (ours && theirs) {
      bars.push({
        label: c,
        ratio: ours.opsPerSec / theirs.opsPerSec,
        detail: `${fmt(ours.opsPerSec)} vs ${fmt(theirs.opsPerSec)} ops/s`,
      });
    }
  }
  if (bars.length > 0) {
    const file = `${suite.replace(/[^a-z0-9-]+/gi, '-')}.svg`;
    writeFileSync(join(dir, file), ratioChartSvg(`${suite}: purertc / werift`, bars));
    out.push(`![${suite}: purertc / werift](./${file})`, '');
  }
  out.push('```', formatTable(suiteRows), '```', '');
}

writeFileSync(join(dir, 'REPORT.md'), out.join('\n'));
console.log(`wrote bench/results/REPORT.md (${suites.length} suites)`);

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}
