/**
 * Profiling entry for forwarding: `node --cpu-prof --import tsx bench/e2e/profile-sfu.ts [impl]
 * [receivers] [packets/s] [seconds]` runs the SFU measurement in this process and prints it.
 */
import { runSfu } from './sfu.js';

const result = await runSfu({
  impl: process.argv[2] ?? 'purertc',
  receivers: Number(process.argv[3] ?? 10),
  packetsPerSecond: Number(process.argv[4] ?? 1000),
  seconds: Number(process.argv[5] ?? 5),
});
console.log(JSON.stringify(result));
setTimeout(() => process.exit(0), 200);
