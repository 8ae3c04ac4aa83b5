import { defineConfig } from 'vitest/config';

const packages = ['common', 'ice', 'dtls', 'srtp', 'sctp', 'peer'] as const;

// One vitest project per workspace, so `vitest run --project srtp` runs one package's tests.
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two-core machines: interop tests open real sockets and child processes.
    maxWorkers: 2,
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, root: `packages/${name}`, include: ['test/**/*.test.ts'] },
      })),
      {
        extends: true as const,
        test: { name: 'sim', root: 'test/sim', include: ['**/*.test.ts'] },
      },
      {
        extends: true as const,
        test: {
          name: 'integration',
          root: 'test',
          include: ['**/*.test.ts'],
          exclude: ['sim/**', 'chrome/**', 'node_modules/**', 'dist/**'],
        },
      },
      {
        extends: true as const,
        test: { name: 'chrome', root: 'test/chrome', include: ['**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        extends: true as const,
        test: { name: 'scripts', root: 'scripts', include: ['**/*.test.ts'] },
      },
    ],
  },
});
