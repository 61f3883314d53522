// Runs only the ai/ brain tests: npx vitest run test/ai --config test/ai/vitest.ai.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/ai/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
  },
});
