import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Where a benchmark ran: written beside latest.json so a report can say what the numbers mean. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  versions: Record<string, string>;
}

// Read from node_modules directly: packages with an `exports` map (werift) hide package.json
// from require.resolve.
function packageVersion(name: string): string {
  try {
    const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    versions: {
      werift: packageVersion('werift'),
      'node-datachannel': packageVersion('node-datachannel'),
      '@roamhq/wrtc': packageVersion('@roamhq/wrtc'),
      benny: packageVersion('benny'),
    },
  };
}
