/**
 * The reference worker (child process of the e2e benchmark): referenceConversation and its one activity, with the
 * same data converter (payload encryption) and Graph client as our worker, on its own task queue.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config/load.js';
import { DEMO } from '../../domain/demo-seed.js';
import { createMetaGraphClient } from '../../integrations/meta-graph.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { REFERENCE_READY } from './ready.js';
import type { ReferenceActivities } from './workflow.js';

const main = async () => {
  const config = loadConfig(process.env);
  const taskQueue = process.env.BENCH_REFERENCE_TASK_QUEUE ?? `${config.TEMPORAL_TASK_QUEUE}-reference`;
  const graph = createMetaGraphClient({
    baseUrl: config.META_GRAPH_URL,
    version: config.META_GRAPH_VERSION,
    appId: config.META_APP_ID,
    appSecret: config.META_APP_SECRET,
  });
  const activities: ReferenceActivities = {
    async sendReference({ recipientId, text }) {
      await graph.sendMessage(DEMO.messengerPageId, DEMO.pageToken, {
        recipient: { id: recipientId },
        messaging_type: 'RESPONSE',
        message: { text },
      });
    },
  };
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
    activities,
    dataConverter: getDataConverter(config.ENCRYPTION_KEY),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  process.stdout.write(`${REFERENCE_READY}\n`);
  await worker.run();
  await connection.close();
};

main().catch((err: unknown) => {
  process.stderr.write(`reference worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
