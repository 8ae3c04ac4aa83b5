import { describe, expect, it } from 'vitest';
import { findViolations, isCheckedPath } from './sans-io-rules.js';

describe('sans-I/O rules', () => {
  it('checks protocol sources and exempts each package driver folder', () => {
    expect(isCheckedPath('packages/ice/src/agent.ts')).toBe(true);
    expect(isCheckedPath('packages/ice/src/stun/message.ts')).toBe(true);
    expect(isCheckedPath('packages/ice/src/node/driver.ts')).toBe(false);
    expect(isCheckedPath('packages/ice/test/agent.test.ts')).toBe(false);
    expect(isCheckedPath('test/sim/network.ts')).toBe(false);
  });

  it.each([
    ['const t = Date.now();', 'Date.now'],
    ['const t = performance.now();', 'performance.now'],
    ['const d = new Date();', 'new Date()'],
    ['const r = Math.random();', 'Math.random'],
    ['setTimeout(() => {}, 5);', 'setTimeout'],
    ['const h = setInterval(f, 5);', 'setInterval'],
    ['setImmediate(f);', 'setImmediate'],
    ['const [s] = process.hrtime();', 'process.hrtime'],
    ["import { createSocket } from 'node:dgram';", 'socket'],
    ["import * as net from 'net';", 'socket'],
    ["import { lookup } from 'node:dns/promises';", 'socket'],
  ])('flags %s', (line, fragment) => {
    const found = findViolations('packages/x/src/a.ts', `ok();\n${line}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(2);
    expect(found[0]!.rule).toContain(fragment);
  });

  it('ignores comments and clean code', () => {
    const src = [
      '// we never call Date.now() here',
      '/* setTimeout( is for drivers',
      '   Math.random() too */',
      'export function tick(now: number): number { return now + 1; }',
      "import { createHmac } from 'node:crypto';",
    ].join('\n');
    expect(findViolations('packages/x/src/a.ts', src)).toEqual([]);
  });
});
