/**
 * `tsx bench/e2e/profile-summary.ts <file.cpuprofile> [top]`: self time per function (and per
 * file) from a V8 CPU profile, biggest first.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const top = Number(process.argv[3] ?? 40);
// Paths print relative to the checkout the profile was taken in.
const root = `file://${process.cwd()}/`;
const relative = (url: string): string => (url.startsWith(root) ? url.slice(root.length) : url);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)!.callFrame;
  const file = relative(f.url) || '(native)';
  const key = `${f.functionName || '(anonymous)'}  ${file}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byFile.set(file, (byFile.get(file) ?? 0) + us);
}
const show = (title: string, m: Map<string, number>): void => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(2)} s)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`,
    );
  }
};
show('self time by function', byFunction);
show('self time by file', byFile);

// Inclusive time per file: a sample counts once for every distinct file on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = relative(byId.get(at)!.callFrame.url);
    if (url.startsWith('packages/') || url.startsWith('bench/')) seen.add(url);
  }
  for (const f of seen) inclusive.set(f, (inclusive.get(f) ?? 0) + us);
}
show('inclusive time by file (our code)', inclusive);
