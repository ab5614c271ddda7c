import { defineConfig } from 'vitest/config';

// Three projects, and a fourth for the second engine:
//   unit         test/unit/**/*.test.ts         no engine needed        (npm run test:unit)
//   integration  test/integration/**/*.test.ts  a real Docker engine    (vitest run --project integration)
//   security     test/security/**/*.test.ts     a real Docker engine    (npm run test:security)
//   podman       test/podman/**/*.test.ts       Podman's API service    (its own CI job in .ci/run:
//                SAFEDOCK_TEST_PODMAN=1 npx vitest run --project podman; the project exists only then)
//   rootless     test/rootless/**/*.test.ts     rootless Docker         (likewise: SAFEDOCK_TEST_ROOTLESS=1
//                npx vitest run --project rootless)
// The integration project's globalSetup (test/setup/engine.ts) throws when no engine answers, builds the
// fixture images, and at teardown removes this run's containers (label safedock.test=<run id>) and the suite's images.
// One id per test run, inherited by every worker: containers carry safedock.test=<id> (and the escape
// suite's safedock.escape=<id>), and teardown removes only this run's, so two checkouts can share one engine.
process.env['SAFEDOCK_TEST_RUN'] ??= `${process.pid.toString(36)}${Date.now().toString(36)}`;

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
      {
        extends: true,
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          environment: 'node',
          // Throws without an engine (never skips), builds safedock-escape, and at teardown removes
          // containers labelled safedock.escape=1 and that image, by id.
          globalSetup: ['test/security/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
          // The same settings as integration on purpose: vitest puts the files of every project that
          // runs one worker at a time, in file isolation, at the default groupOrder into one sequential
          // group, so no security file ever runs next to an integration file. The escape suite's
          // fork and memory probes load the 2-core machine; next to the integration tests' timing-
          // sensitive runs they would make those flaky.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { concurrent: false },
        },
      },
      ...(process.env['SAFEDOCK_TEST_PODMAN'] === '1'
        ? [
            {
              extends: true as const,
              test: {
                name: 'podman',
                include: ['test/podman/**/*.test.ts'],
                environment: 'node',
                // Builds the fixture images, starts Podman's API service (scripts/podman.sh) and
                // loads them into it; at teardown removes this run's containers there.
                globalSetup: ['test/setup/podman.ts'],
                testTimeout: 60_000,
                hookTimeout: 600_000,
                fileParallelism: false,
                maxWorkers: 1,
                sequence: { concurrent: false },
              },
            },
          ]
        : []),
      ...(process.env['SAFEDOCK_TEST_ROOTLESS'] === '1'
        ? [
            {
              extends: true as const,
              test: {
                name: 'rootless',
                include: ['test/rootless/**/*.test.ts'],
                environment: 'node',
                // Starts rootless Docker as a user of its own (scripts/rootless.sh) with the test
                // images built in it; at teardown removes this run's containers there and stops it.
                globalSetup: ['test/setup/rootless.ts'],
                testTimeout: 60_000,
                hookTimeout: 600_000,
                fileParallelism: false,
                maxWorkers: 1,
                sequence: { concurrent: false },
              },
            },
          ]
        : []),
    ],
  },
});
