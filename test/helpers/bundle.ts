/**
 * The workflow bundle for tests. Webpack is the slow part, so the global setup (test/global-setup-bundle.ts) builds
 * it once per run and every test file reads that file; a config without that setup builds it once per test file.
 */
import { readFile } from 'node:fs/promises';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';
import { bundleWorkflows, type BundleServices } from '../global-setup-bundle.js';

const readBundle = async (path: string): Promise<WorkflowBundleWithSourceMap> => ({
  code: await readFile(path, 'utf8'),
  sourceMap: await readFile(`${path}.map`, 'utf8'),
});

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export const workflowBundle = () => {
  const path: BundleServices['workflowBundlePath'] = inject('workflowBundlePath');
  bundle ??= path ? readBundle(path) : bundleWorkflows();
  return bundle;
};
