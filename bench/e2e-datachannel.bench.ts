/**
 * Data channel throughput over real loopback UDP: one reliable ordered channel, the sender paced
 * by bufferedAmount / bufferedamountlow (high water 2 MiB, low 512 KiB), both peers in one process
 * and in two processes. Each stack runs in fresh worker processes (bench/e2e/worker.ts).
 *
 * Sizes keep the suite to a few minutes: E2E_DC_MIB_64K (default 64) MiB in 64 KiB messages and
 * E2E_DC_MIB_1K (default 8) MiB in 1 KiB messages, except werift, whose 1 KiB messages move at
 * tens of KB/s: E2E_DC_MIB_1K_WERIFT (default 1) MiB. E2E_RUNS (default 3) timed transfers per
 * case on one connection after one untimed warm-up transfer; the median is reported.
 * Row: opsPerSec = messages/s, mbPerSec = payload MB/s. `purertc-1200` is purertc with path MTU
 * discovery held at 1200-byte packets, the size the other stacks use (see bench/e2e/peers.ts).
 */

import type { ImplName } from './e2e/peers.js';
import { envNumber, fmt, impls, printTable, recordDetail, wanted } from './e2e/report.js';
import { runTask, spawnWorker } from './e2e/spawn.js';
import { median } from './e2e/transfer.js';
import { type BenchCase, defineSuite, measuredCase } from './harness.js';

const SUITE = 'e2e-datachannel';
const FILE = 'e2e-datachannel.bench.ts';
const MiB = 1024 * 1024;

async function twoProcesses(
  impl: ImplName,
  messageSize: number,
  totalBytes: number,
  runs: number,
): Promise<number[]> {
  const sender = spawnWorker({ task: 'dc-send', impl, messageSize, totalBytes });
  const receiver = spawnWorker({ task: 'dc-recv', impl, totalBytes });
  try {
    sender.onSignal((s) => receiver.send({ op: 'signal', s }));
    receiver.onSignal((s) => sender.send({ op: 'signal', s }));
    await Promise.all([sender.next('open', 30_000), receiver.next('open', 30_000)]);
    const seconds: number[] = [];
    // Run 0 warms up (JIT, congestion window) and is not counted.
    for (let i = 0; i <= runs; i++) {
      receiver.send({ op: 'go' });
      await receiver.next('armed', 10_000);
      const start = performance.now();
      sender.send({ op: 'go' });
      await receiver.next('done', 300_000);
      if (i > 0) seconds.push((performance.now() - start) / 1000);
    }
    return seconds;
  } finally {
    sender.send({ op: 'exit' });
    receiver.send({ op: 'exit' });
    setTimeout(() => {
      sender.kill();
      receiver.kill();
    }, 500).unref();
  }
}

export default defineSuite({
  suite: SUITE,
  cases: async () => {
    const runs = envNumber('E2E_RUNS', 3);
    const shapes = [
      { label: '64 KiB messages', size: 64 * 1024, total: envNumber('E2E_DC_MIB_64K', 64) * MiB },
      { label: '1 KiB messages', size: 1024, total: envNumber('E2E_DC_MIB_1K', 8) * MiB },
    ];
    const modes = [
      { label: 'one process', processes: 1 },
      { label: 'two processes', processes: 2 },
    ];
    const plan = shapes.flatMap((shape) =>
      modes.map((mode) => ({ ...shape, mode, name: `${shape.label}, ${mode.label}` })),
    );
    const todo = plan.filter((p) => wanted(FILE, SUITE, p.name));
    if (todo.length === 0) return [];
    const cases: BenchCase[] = [];
    const table: string[][] = [['case', 'impl', 'MiB', 'median s', 'MB/s', 'msgs/s', 'runs (s)']];
    for (const plan of todo) {
      for (const impl of impls(['purertc', 'purertc-1200', 'werift', 'node-datachannel', 'wrtc'])) {
        const slow1k = impl === 'werift' && plan.size === 1024;
        const p = slow1k ? { ...plan, total: envNumber('E2E_DC_MIB_1K_WERIFT', 1) * MiB } : plan;
        let seconds: number[];
        process.stdout.write(`  ${p.name} [${impl}] ... `);
        try {
          seconds =
            p.mode.processes === 1
              ? (
                  await runTask<{ seconds: number[] }>({
                    task: 'dc-loop',
                    impl,
                    messageSize: p.size,
                    totalBytes: p.total,
                    runs,
                  })
                ).seconds
              : await twoProcesses(impl, p.size, p.total, runs);
        } catch (e) {
          console.log(`  ${p.name} [${impl}] failed: ${(e as Error).message}`);
          continue;
        }
        const s = median(seconds);
        console.log(seconds.map((x) => `${x.toFixed(2)} s`).join(', '));
        const mbPerSec = p.total / s / 1e6;
        const messagesPerSec = p.total / p.size / s;
        table.push([
          p.name,
          impl,
          String(p.total / MiB),
          fmt(s, 3),
          fmt(mbPerSec),
          fmt(messagesPerSec, 0),
          seconds.map((x) => x.toFixed(2)).join(' '),
        ]);
        recordDetail(SUITE, p.name, impl, { totalBytes: p.total, messageSize: p.size, seconds, mbPerSec });
        cases.push(
          measuredCase({ suite: SUITE, case: p.name, impl, opsPerSec: messagesPerSec, bytesPerOp: p.size }),
        );
      }
    }
    printTable('data channel throughput (loopback UDP, reliable ordered)', table);
    return cases;
  },
});
