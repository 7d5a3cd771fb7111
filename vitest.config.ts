import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // expect.poll waits on a page or an API under load (2 cores, browser and server in one run): 1 s was flaky in CI
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
