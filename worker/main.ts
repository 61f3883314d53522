/** Worker process: load config, connect MongoDB and Temporal, run workflows and activities until SIGTERM drains it. */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { bootProcess } from '../config/boot.js';
import { connectDb } from '../db/connection.js';
import { temporalConnectionOptions } from '../temporal/connection-options.js';
import { getDataConverter } from '../temporal/data-converter.js';
import { ensureHistoryRetention } from '../temporal/history-retention.js';
import { ensureNotificationRetrySweep, ensureRetentionSweep } from '../starters/sweeps.js';
import { buildActivityDeps } from './build-deps.js';
import { createWorker } from './create-worker.js';
import { installWorkerMetrics } from './metrics.js';

const main = async () => {
  const { config, log } = bootProcess('worker');
  // Before the first connection: the exporter is part of the process-wide Temporal runtime.
  if (installWorkerMetrics(config.WORKER_METRICS_ADDRESS))
    log.info({ url: `http://${config.WORKER_METRICS_ADDRESS}/metrics` }, 'worker metrics exported');

  const db = await connectDb(config.MONGODB_URI);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // Activities that start or erase other workflows share the worker's connection and the encrypting converter.
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: getDataConverter(config.ENCRYPTION_KEY) });
  try {
    // Closed histories hold conversations too: production refuses to run on a namespace that keeps them too long.
    const retention = await ensureHistoryRetention(client, config.TEMPORAL_NAMESPACE, config.TEMPORAL_HISTORY_RETENTION_HOURS, {
      mayUpdate: config.NODE_ENV !== 'production',
    });
    if (retention.isUpdated)
      log.info(retention, 'Temporal namespace now keeps closed workflow histories for TEMPORAL_HISTORY_RETENTION_HOURS');
    const worker = await createWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      keyRing: config.ENCRYPTION_KEY,
      deps: buildActivityDeps(config, db, log, { temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE } }),
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      shutdownGraceMs: config.WORKER_SHUTDOWN_GRACE_MS,
      workflowBundle: config.WORKER_WORKFLOW_BUNDLE ? { codePath: config.WORKER_WORKFLOW_BUNDLE } : undefined,
    });
    log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
    await ensureRetentionSweep(
      client,
      config.TEMPORAL_TASK_QUEUE,
      config.CONVERSATION_RETENTION_DAYS,
      config.TEMPORAL_HISTORY_RETENTION_HOURS,
    ).catch((err: unknown) =>
      log.error({ err: (err as Error).message }, 'could not start the hourly retention sweep; the per-conversation purge still runs'),
    );
    await ensureNotificationRetrySweep(client, config.TEMPORAL_TASK_QUEUE).catch((err: unknown) =>
      log.error({ err: (err as Error).message }, 'could not start the notification retry sweep; conversations still retry their own'),
    );
    // Worker.run() installs SIGINT/SIGTERM handlers itself and drains in-flight tasks before resolving.
    await worker.run();
    log.info('worker stopped');
  } finally {
    await connection.close();
    await db.close();
  }
};

main().catch((err: unknown) => {
  process.stderr.write(
    `Worker failed: ${(err as Error).message}\nCheck that MongoDB (MONGODB_URI) and Temporal (TEMPORAL_ADDRESS) are reachable.\n`,
  );
  process.exit(1);
});
