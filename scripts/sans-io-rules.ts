/**
 * The sans-I/O rule (ARCHITECTURE.md section 3): protocol cores take time and randomness as
 * parameters and never touch sockets or timers, so they run the same under a virtual clock.
 *
 * Checked: every `.ts` file under `packages/<name>/src/`.
 * Allowed to do I/O (the drivers): `packages/<name>/src/node/` in any package. Tests, benchmarks,
 * scripts and `test/` are not protocol code and are not checked.
 */

export interface SansIoViolation {
  file: string;
  line: number;
  rule: string;
  text: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
}

const RULES: readonly Rule[] = [
  { name: 'reads the wall clock (Date.now)', pattern: /\bDate\.now\s*\(/ },
  { name: 'reads the clock (performance.now)', pattern: /\bperformance\.now\s*\(/ },
  { name: 'reads the wall clock (new Date())', pattern: /\bnew\s+Date\s*\(/ },
  { name: 'uses unseeded randomness (Math.random)', pattern: /\bMath\.random\s*\(/ },
  { name: 'starts a timer (setTimeout)', pattern: /\bsetTimeout\s*\(/ },
  { name: 'starts a timer (setInterval)', pattern: /\bsetInterval\s*\(/ },
  { name: 'schedules work (setImmediate)', pattern: /\bsetImmediate\s*\(/ },
  { name: 'reads the clock (process.hrtime)', pattern: /\bprocess\.hrtime\b/ },
  {
    name: 'imports a socket module',
    pattern: /\b(?:from|import|require)\s*\(?\s*['"](?:node:)?(?:dgram|net|dns|dns\/promises|tls)['"]/,
  },
];

/** A path relative to the repository root, with forward slashes. */
export function isCheckedPath(path: string): boolean {
  const m = /^packages\/[^/]+\/src\/(.+)$/.exec(path);
  if (!m) return false;
  if (!path.endsWith('.ts')) return false;
  return !m[1]!.startsWith('node/');
}

/** Blanks out comments and string contents that are not import specifiers, keeping line numbers. */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function findViolations(path: string, source: string): SansIoViolation[] {
  const out: SansIoViolation[] = [];
  const lines = stripComments(source).split('\n');
  lines.forEach((text, i) => {
    for (const rule of RULES) {
      if (rule.pattern.test(text)) out.push({ file: path, line: i + 1, rule: rule.name, text: text.trim() });
    }
  });
  return out;
}
