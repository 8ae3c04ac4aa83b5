/**
 * Setup time: createOffer to the data channel open on both ends, two peers in one process over
 * loopback, trickle (description sent at once, candidates as gathered) and non-trickle (complete
 * description after gathering). E2E_SETUP_COUNT (default 20) sequential pairs per case in a fresh
 * worker after E2E_SETUP_WARMUP (default 5) untimed ones (module loading and JIT, like the
 * throughput suite's untimed first transfer); median and p90. Row: opsPerSec = 1 / median seconds
 * (setups per second, one at a time).
 */

import { envNumber, fmt, impls, printTable, recordDetail, wanted } from './e2e/report.js';
import { runTask } from './e2e/spawn.js';
import { median, quantile } from './e2e/transfer.js';
import { type BenchCase, defineSuite, measuredCase } from './harness.js';

const SUITE = 'e2e-setup';
const FILE = 'e2e-setup.bench.ts';

export default defineSuite({
  suite: SUITE,
  cases: async () => {
    const count = envNumber('E2E_SETUP_COUNT', 20);
    const warmup = envNumber('E2E_SETUP_WARMUP', 5);
    const todo = [
      { name: 'createOffer to open, trickle', trickle: true },
      { name: 'createOffer to open, non-trickle', trickle: false },
    ].filter((p) => wanted(FILE, SUITE, p.name));
    if (todo.length === 0) return [];
    const cases: BenchCase[] = [];
    const table: string[][] = [
      ['case', 'impl', 'median ms', 'p90 ms', 'incl. new RTCPeerConnection: median ms'],
    ];
    for (const p of todo) {
      for (const impl of impls()) {
        let r: { fromOffer: number[]; fromConstruct: number[] };
        try {
          r = await runTask({ task: 'setup', impl, trickle: p.trickle, count, warmup });
        } catch (e) {
          console.log(`  ${p.name} [${impl}] failed: ${(e as Error).message}`);
          continue;
        }
        const med = median(r.fromOffer);
        const p90 = quantile(r.fromOffer, 0.9);
        table.push([p.name, impl, fmt(med, 2), fmt(p90, 2), fmt(median(r.fromConstruct), 2)]);
        recordDetail(SUITE, p.name, impl, { medianMs: med, p90Ms: p90, ...r });
        cases.push(measuredCase({ suite: SUITE, case: p.name, impl, opsPerSec: 1000 / med }));
      }
    }
    printTable(`setup time (${count} pairs each after ${warmup} untimed, one at a time)`, table);
    return cases;
  },
});
