import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Separate processes: Temporal's native core-bridge is happiest outside worker_threads.
    pool: 'forks',
    // The CI box has 2 cores; each test process may also run a Temporal worker. Override: VITEST_MAX_WORKERS=n
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 2,
    fileParallelism: true,
    // Starts one Temporal dev server + one FerretDB for the run (skipped when TEMPORAL_ADDRESS / MONGODB_URI are set).
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tools/**', '.data/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // expect.poll waits on a condition (a page to render, a workflow to answer); vitest's 1 s default is outrun by a
    // loaded 2-core box, and the browser tests flaked on it.
    expect: { poll: { timeout: 15_000 } },
  },
});
