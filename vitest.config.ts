import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Spawned-binary tests start real processes: two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
