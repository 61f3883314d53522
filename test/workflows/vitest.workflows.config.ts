/**
 * The fast workflow layer alone (stub activities on a time-skipping test server; only the bundle's global setup, so
 * neither the Temporal dev server nor FerretDB is started):
 *   npx vitest run --config test/workflows/vitest.workflows.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/workflows/**/*.test.ts'],
    globalSetup: ['test/global-setup-bundle.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
