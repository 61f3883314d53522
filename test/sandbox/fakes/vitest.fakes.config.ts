/**
 * Runs only the fakes' own tests, without the repo's global setup (Temporal/Mongo, slow):
 *   npx vitest run --config test/sandbox/fakes/vitest.fakes.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['test/sandbox/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
