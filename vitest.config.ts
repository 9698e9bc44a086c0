import { defineConfig } from 'vitest/config';

/** One test run for every package; the database template is prepared once in global setup. */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/web/e2e/**/*.test.ts'],
    // The database template, once per run; Debian's Chromium when the run has browser journeys and it is missing.
    globalSetup: ['packages/server/src/test/global-setup.ts', 'packages/web/e2e/chromium-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './packages/server/src/test/summary-reporter.ts'],
  },
});
