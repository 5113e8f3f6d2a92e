import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest runs one fork per core minus one: a single fork on CI's two cores. Most suites wait on
    // child servers, browsers and disk flushes rather than compute, so two forks halve the wall time.
    poolOptions: { forks: { minForks: 2, maxForks: 2 } },
  },
});
