/**
 * Media forwarding (an SFU's cost): a source peer sends SRTP video (1,100-byte payloads,
 * E2E_SFU_PPS packets/s, default 1,000) to a forwarding peer that writes each RTP packet to N
 * outgoing peer connections (N = 1, 10), each received by a viewer; E2E_SFU_SECONDS (default 5).
 * Everything runs in one worker process and CPU is that process's (source encryption, forwarder
 * decryption + N encryptions, N viewers' decryption). Row: opsPerSec = forwarded packets per CPU
 * second (the inverse of CPU per forwarded packet, i.e. the capacity of one core).
 */

import { envNumber, fmt, impls, printTable, recordDetail, wanted } from './e2e/report.js';
import type { SfuResult } from './e2e/sfu.js';
import { runTask } from './e2e/spawn.js';
import { type BenchCase, defineSuite, measuredCase } from './harness.js';

const SUITE = 'e2e-sfu';
const FILE = 'e2e-sfu.bench.ts';

export default defineSuite({
  suite: SUITE,
  cases: async () => {
    const todo = [1, 10]
      .map((n) => ({ n, name: `forward to ${n} peer${n === 1 ? '' : 's'}` }))
      .filter((p) => wanted(FILE, SUITE, p.name));
    if (todo.length === 0) return [];
    const packetsPerSecond = envNumber('E2E_SFU_PPS', 1000);
    const seconds = envNumber('E2E_SFU_SECONDS', 5);
    const cases: BenchCase[] = [];
    const table: string[][] = [
      [
        'case',
        'impl',
        'in pkts',
        'forwarded',
        'delivered',
        'fwd pkts/s',
        'CPU s',
        'CPU µs/fwd pkt',
        'fwd pkts/CPU-s',
      ],
    ];
    for (const p of todo) {
      for (const impl of impls(['purertc', 'werift'])) {
        let r: SfuResult;
        try {
          r = await runTask<SfuResult>({ task: 'sfu', impl, receivers: p.n, packetsPerSecond, seconds });
        } catch (e) {
          console.log(`  ${p.name} [${impl}] failed: ${(e as Error).message}`);
          continue;
        }
        const capacity = 1e6 / r.cpuMicrosPerForwarded;
        table.push([
          p.name,
          impl,
          String(r.packetsIn),
          String(r.packetsForwarded),
          String(r.packetsDelivered),
          fmt(r.forwardedPerSecond, 0),
          fmt(r.cpuSeconds, 2),
          fmt(r.cpuMicrosPerForwarded, 1),
          fmt(capacity, 0),
        ]);
        recordDetail(SUITE, p.name, impl, { ...r, forwardedPerCpuSecond: capacity });
        cases.push(
          measuredCase({ suite: SUITE, case: p.name, impl, opsPerSec: capacity, bytesPerOp: 1100 + 12 }),
        );
      }
    }
    printTable(`SFU forwarding (${packetsPerSecond} packets/s in for ${seconds} s; one process)`, table);
    return cases;
  },
});
