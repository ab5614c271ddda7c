import { defineConfig } from 'vitest/config';

// Two projects:
//   unit         test/unit/**/*.test.ts         no engine needed        (npm run test:unit)
//   integration  test/integration/**/*.test.ts  a real Docker engine    (vitest run --project integration)
// The integration project's globalSetup (test/setup/engine.ts) throws when no engine answers, builds the
// fixture images, and at teardown removes containers labelled safedock.test=1 and the suite's images.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/engine.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // 2 cores, one engine: one file at a time, tests inside a file in order.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
