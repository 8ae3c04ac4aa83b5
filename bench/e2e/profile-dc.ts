/**
 * Profiling entry: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/e2e/profile-dc.ts
 * [impl] [messageBytes] [MiB] [processes]` runs one data-channel transfer in this process (both
 * ends) so the profile covers the whole purertc path; `bench/e2e/profile-summary.ts` reads it.
 */
import { performance } from 'node:perf_hooks';
import { connectInProcess, type ImplName } from './peers.js';
import { byteCounter, sendAll } from './transfer.js';

const impl = (process.argv[2] ?? 'purertc') as ImplName;
const size = Number(process.argv[3] ?? 65536);
const total = Number(process.argv[4] ?? 32) * 1024 * 1024;
const { offerer, answerer, sender, receiver } = await connectInProcess(impl, true);
const counter = byteCounter(receiver);
for (let run = 0; run < 2; run++) {
  const done = counter.until(total);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  await sendAll(sender, size, total);
  await done;
  const s = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${impl} ${size} B x ${total / size}: ${s.toFixed(2)} s, ${(total / s / 1e6).toFixed(1)} MB/s, ` +
      `CPU ${cpuSeconds.toFixed(2)} s (${((cpuSeconds * 1e6) / (total / 1e6)).toFixed(0)} µs per MB), ` +
      `event loop ${(elu.utilization * 100).toFixed(0)}% busy`,
  );
}
offerer.close();
answerer.close();
setTimeout(() => process.exit(0), 100);
