// Lint fence: workflow code must stay deterministic, and no promise may float anywhere.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'path',
  'crypto',
  'http',
  'https',
  'net',
  'os',
  'child_process',
  'timers',
  'worker_threads',
  'dns',
  'stream',
  'events',
  'util',
  'url',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.data/**',
      '.tools/**',
      'dist/**',
      'widget/dist/**',
      'widget/src/**',
      'web/dist/**',
      'web/.dist-*/**',
      'web/src/api/schema.d.ts',
      'coverage/**',
      'test-artifacts/**',
      'eslint.config.js',
      'scripts/bootstrap.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // CommonJS files loaded by path (temporal/failure-converter.cjs): plain JS, no type information.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable', module: 'writable' },
      parserOptions: { projectService: false },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins,
            ...nodeBuiltins.map((m) => `node:${m}`),
            'mongoose',
            'openai',
            'stripe',
            'resend',
            'express',
            'pino',
            '@temporalio/client',
            '@temporalio/worker',
            '@temporalio/activity',
          ],
          patterns: ['**/config/**', '**/db/**', '**/integrations/**', '**/api/**'],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() in a loop' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time comes from sleep/condition or activity results' },
        { object: 'Math', property: 'random', message: 'use uuid4() or activity results' },
      ],
    },
  },
  // Formatting is Prettier's job (checked by `npm run lint`); ESLint keeps to correctness.
  prettier,
);
