/**
 * Stand-alone config for the widget's unit tests: node environment (no jsdom — the tested
 * modules are DOM-free by design) and no globalSetup, so they run without any server or DB.
 *   npx vitest run test/widget --config test/widget/vitest.widget.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/widget/**/*.test.ts'],
    environment: 'node',
    globals: false,
  },
});
