/**
 * Profiling entry for connection setup: `node --cpu-prof --import tsx bench/e2e/profile-setup.ts
 * [impl] [pairs] [concurrency]` opens pairs with one data channel each, `concurrency` at a time.
 */
import { connectInProcess, type ImplName } from './peers.js';

const impl = (process.argv[2] ?? 'purertc') as ImplName;
const pairs = Number(process.argv[3] ?? 100);
const concurrency = Number(process.argv[4] ?? 8);
let started = 0;
const start = performance.now();
const open: { close(): void }[] = [];
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (started < pairs) {
      started++;
      const p = await connectInProcess(impl, true);
      open.push(p.offerer, p.answerer);
    }
  }),
);
const s = (performance.now() - start) / 1000;
console.log(`${impl}: ${pairs} pairs in ${s.toFixed(2)} s, ${(pairs / s).toFixed(1)} pairs/s`);
for (const p of open) p.close();
setTimeout(() => process.exit(0), 500);
