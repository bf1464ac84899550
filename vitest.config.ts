import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Spawned-binary tests start real processes: two cores, so keep the pool small.
    maxWorkers: 2,
    // One throwaway PostgreSQL per run (or $EVENTS_TEST_PG), shared by all workers: test/support/pg.ts.
    globalSetup: ['test/support/pg-setup.ts'],
  },
});
