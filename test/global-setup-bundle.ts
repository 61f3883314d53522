/**
 * Vitest global setup: bundles the workflows once for the whole run and names the file with provide/inject
 * (test/helpers/bundle.ts reads it), instead of webpack running again in every test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { failureConverterPath } from '../temporal/data-converter.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The workflow bundle built for this run (its source map beside it, `.map`). */
    workflowBundlePath: string | undefined;
  }
}

export type BundleServices = Pick<ProvidedContext, 'workflowBundlePath'>;

export const bundleWorkflows = async (): Promise<WorkflowBundleWithSourceMap> => {
  // Imported here, not at the top: a module that does not load (code mid-edit) must fail only the test files that
  // need workflows, not the whole run.
  const { workflowsPath } = await import('../worker/create-worker.js');
  return bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => console.error(m),
    },
  });
};

/**
 * Bundles into a temporary folder and provides the path; the returned teardown removes the folder. When bundling
 * fails nothing is provided: each test file that needs workflows then bundles for itself and reports the error.
 */
export const provideWorkflowBundle = async (project: TestProject): Promise<() => void> => {
  const dir = mkdtempSync(join(tmpdir(), 'luxleads-bundle-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const { code, sourceMap } = await bundleWorkflows();
    const file = join(dir, 'workflows.js');
    writeFileSync(file, code);
    writeFileSync(`${file}.map`, sourceMap);
    project.provide('workflowBundlePath', file);
  } catch (err) {
    process.stdout.write(
      `[global-setup] workflow bundle failed (${err instanceof Error ? err.message : String(err)}); test files bundle for themselves\n`,
    );
    removeDir();
  }
  return removeDir;
};

export default provideWorkflowBundle;
