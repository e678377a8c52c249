import { defineConfig } from 'vitest/config';

/** End-to-end: real processes, real HTTP, real Chromium. Run one file at a time to keep ports and CPU calm. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
