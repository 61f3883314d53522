/** Creates the Temporal worker for our task queue: encrypted payloads, all workflows, all activities. */
import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { KeyRing } from '../lib/crypto.js';
import { getDataConverter } from '../temporal/data-converter.js';
import { activityOutcomeMetrics } from './metrics.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export type CreateWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  keyRing: KeyRing;
  deps: ActivityDeps;
  maxCachedWorkflows?: number;
  /** How long SIGTERM lets running activities finish before they are cancelled (Temporal's default is 0: at once). */
  shutdownGraceMs?: number;
  /** A prebuilt bundle (tests bundle once per file); otherwise the worker bundles workflowsPath itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  overrides?: Partial<WorkerOptions>;
};

export const createWorker = (o: CreateWorkerOptions) =>
  Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath }),
    activities: createActivities(o.deps),
    dataConverter: getDataConverter(o.keyRing),
    interceptors: { activity: [activityOutcomeMetrics] },
    maxCachedWorkflows: o.maxCachedWorkflows,
    ...(o.shutdownGraceMs !== undefined ? { shutdownGraceTime: o.shutdownGraceMs } : {}),
    ...o.overrides,
  });
