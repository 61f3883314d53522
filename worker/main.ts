/** Worker process: load config, connect MongoDB and Temporal, run workflows and activities until SIGTERM drains it. */
import { NativeConnection } from '@temporalio/worker';
import { describeDisabledIntegrations, exitOnConfigError, loadConfig } from '../config/load.js';
import { SECRET_KEYS } from '../config/schema.js';
import { connectDb } from '../db/connection.js';
import { createLogger } from '../lib/logger.js';
import { buildActivityDeps } from './build-deps.js';
import { createWorker } from './create-worker.js';

const main = async () => {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    return exitOnConfigError(err);
  }
  const log = createLogger({ level: config.LOG_LEVEL, name: 'worker', secrets: SECRET_KEYS.map((k) => String(config[k] ?? '')) });
  for (const line of describeDisabledIntegrations(config)) log.warn(line);

  const db = await connectDb(config.MONGODB_URI);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      keyRing: config.ENCRYPTION_KEY,
      deps: buildActivityDeps(config, db, log),
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
    // Worker.run() installs SIGINT/SIGTERM handlers itself and drains in-flight tasks before resolving.
    await worker.run();
    log.info('worker stopped');
  } finally {
    await connection.close();
    await db.close();
  }
};

main().catch((err: unknown) => {
  process.stderr.write(`Worker failed: ${(err as Error).message}\nCheck that MongoDB (MONGODB_URI) and Temporal (TEMPORAL_ADDRESS) are reachable.\n`);
  process.exit(1);
});
