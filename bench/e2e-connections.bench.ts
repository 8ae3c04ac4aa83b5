/**
 * Connections per process: pairs of peer connections with one data channel each, opened
 * E2E_CONN_CONCURRENCY (default 8) at a time for E2E_CONN_SECONDS (default 60) or until
 * E2E_CONN_MAX (default 10,000) peer connections, in a worker run with --expose-gc. Memory per
 * peer connection is (RSS or heap now - baseline after one warm-up pair) / open peer connections,
 * at 100, 1,000 and the end; then everything closes and memory is read again.
 * Row: opsPerSec = pairs opened per second.
 */

import type { ConnectionsResult } from './e2e/connections.js';
import { envNumber, fmt, impls, printTable, recordDetail, wanted } from './e2e/report.js';
import { runTask } from './e2e/spawn.js';
import { type BenchCase, defineSuite, measuredCase } from './harness.js';

const SUITE = 'e2e-connections';
const FILE = 'e2e-connections.bench.ts';
const CASE = 'pairs with one data channel, opened 8 at a time';

export default defineSuite({
  suite: SUITE,
  cases: async () => {
    if (!wanted(FILE, SUITE, CASE)) return [];
    const seconds = envNumber('E2E_CONN_SECONDS', 60);
    const maxPeerConnections = envNumber('E2E_CONN_MAX', 10_000);
    const concurrency = envNumber('E2E_CONN_CONCURRENCY', 8);
    const cases: BenchCase[] = [];
    const table: string[][] = [
      ['impl', 'pairs', 'pairs/s', 'failures', 'at', 'KB RSS/pc', 'KB heap/pc', 'RSS MB', 'heap MB'],
    ];
    const kb = (bytes: number, pcs: number) => fmt(bytes / 1024 / Math.max(1, pcs), 1);
    for (const impl of impls(['purertc', 'werift'])) {
      let r: ConnectionsResult;
      try {
        r = await runTask<ConnectionsResult>(
          { task: 'connections', impl, seconds, maxPeerConnections, concurrency },
          ['--expose-gc', '--max-old-space-size=8192'],
          (seconds + 120) * 1000,
        );
      } catch (e) {
        console.log(`  connections [${impl}] failed: ${(e as Error).message}`);
        continue;
      }
      const b = r.baseline;
      for (const s of [...r.checkpoints, r.end, r.afterClose]) {
        const label =
          s === r.afterClose
            ? 'closed'
            : s === r.end
              ? `end ${s.peerConnections}`
              : String(s.peerConnections);
        const pcs = s === r.afterClose ? r.peerConnections : s.peerConnections;
        table.push([
          impl,
          String(r.pairs),
          fmt(r.pairsPerSecond),
          String(r.failures),
          label,
          kb(s.rssBytes - b.rssBytes, pcs),
          kb(s.heapBytes - b.heapBytes, pcs),
          fmt(s.rssBytes / 1e6, 0),
          fmt(s.heapBytes / 1e6, 0),
        ]);
      }
      if (r.firstFailure) console.log(`  ${impl}: first failure: ${r.firstFailure}`);
      recordDetail(SUITE, CASE, impl, r);
      cases.push(measuredCase({ suite: SUITE, case: CASE, impl, opsPerSec: r.pairsPerSecond }));
    }
    printTable(
      `connections per process (${seconds} s or ${maxPeerConnections} peer connections; 'closed' = after closing all, per pc that was open)`,
      table,
    );
    return cases;
  },
});
