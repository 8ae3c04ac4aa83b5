import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findViolations, isCheckedPath, type SansIoViolation } from './sans-io-rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function walk(dir: string, files: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, files);
    else files.push(full);
  }
}

const files: string[] = [];
walk(join(root, 'packages'), files);
const violations: SansIoViolation[] = [];
let checked = 0;
for (const full of files) {
  const rel = relative(root, full).split(sep).join('/');
  if (!isCheckedPath(rel)) continue;
  checked++;
  violations.push(...findViolations(rel, readFileSync(full, 'utf8')));
}

if (violations.length > 0) {
  console.error(`sans-I/O check: ${violations.length} violation(s) in protocol code`);
  for (const v of violations) console.error(`  ${v.file}:${v.line}  ${v.rule}\n      ${v.text}`);
  console.error(
    'Move I/O into the package driver folder (src/node/) or take time/randomness as a parameter.',
  );
  process.exit(1);
}
console.log(`sans-I/O check: ${checked} protocol source files clean`);
