import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits 1 s by default: too short for a browser on a loaded 2-core CI machine.
    expect: { poll: { timeout: 10_000 } },
    // Each file opens its own database; keep output readable.
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
