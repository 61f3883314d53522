/**
 * Bundles the workflow code once, ahead of time (`npm run build:workflows [-- out-file]`), so workers start
 * without webpack: faster start-up and about 100 MB less worker RSS. Point WORKER_WORKFLOW_BUNDLE at the file.
 * The bundle must be built with the same @temporalio/worker version the worker runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../temporal/data-converter.js';
import { workflowsPath } from '../worker/create-worker.js';
import { ROOT } from './tools/paths.js';

export const DEFAULT_BUNDLE_PATH = resolve(ROOT, 'dist/workflow-bundle.js');

export const buildWorkflowBundle = async (outFile = DEFAULT_BUNDLE_PATH, log: (line: string) => void = () => undefined) => {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => log(m),
      error: (m) => log(m),
    },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return { outFile, bytes: Buffer.byteLength(code) };
};

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, 'scripts/build-workflow-bundle.ts')) {
  const out = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_BUNDLE_PATH;
  const { outFile, bytes } = await buildWorkflowBundle(out, (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(
    `workflow bundle written: ${outFile} (${(bytes / 1024 / 1024).toFixed(2)} MB); set WORKER_WORKFLOW_BUNDLE=${outFile}\n`,
  );
}
