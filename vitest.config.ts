import { defineConfig } from 'vitest/config';

const isGrpcRetryAfterClose = (error: { message?: string; stack?: string }) =>
  error.message === 'Channel has been shut down' && /grpc-retry/.test(error.stack ?? '');

export default defineConfig({
  test: {
    environment: 'node',
    // Separate processes: Temporal's native core-bridge is happiest outside worker_threads.
    pool: 'forks',
    // Three test processes on the 2-core CI box: most tests wait on servers, timers and a browser, not on the CPU (the
    // quiet suite used 1.2 cores with two), so a third process cuts the wall time (411 s → 287 s). Override:
    // VITEST_MAX_WORKERS=n.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 3,
    // Test files share their process's module cache: importing the stack again for each of 143 files cost 180 s of
    // the run. Safe because no test mutates module state: harnesses get their own connection, models, caches and
    // ids, the Temporal runtime is installed once (test/helpers/quiet-runtime.ts), and fake timers are restored.
    isolate: false,
    // With shared processes, one known SDK timer outlives its test file: @temporalio/client's gRPC retry interceptor
    // schedules a retry with setTimeout and, if the test has closed the Connection meanwhile (Temporal stopped or silent
    // in a fault test), the retry throws "Channel has been shut down" from that timer, in whatever file runs next.
    // Only that error is dropped; every other unhandled error still fails the run.
    onUnhandledError: (error) => !isGrpcRetryAfterClose(error),
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
