/** Bundles the workflows once per test file (webpack is the slow part) and reuses the bundle for every worker. */
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { failureConverterPath } from '../../temporal/data-converter.js';
import { workflowsPath } from '../../worker/create-worker.js';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export const workflowBundle = () => {
  bundle ??= bundleWorkflowCode({
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
  return bundle;
};
