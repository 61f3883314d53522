/** API process: load config, connect MongoDB and Temporal, serve HTTP, shut down gracefully on SIGTERM. */
import type { Server } from 'node:http';
import { bootProcess } from '../config/boot.js';
import { connectDb, pingDb } from '../db/connection.js';
import { seedDemo } from '../domain/demo-seed.js';
import { connectTemporalClient, pingTemporal } from '../temporal/client.js';
import { createApp } from './app.js';
import { conversationSettingsFrom, createDispatcher } from './conversations/dispatch.js';
import { createChannelRouter } from './meta/channel-router.js';
import { createMetrics } from './metrics.js';

const main = async () => {
  const { config, log } = bootProcess('api');

  const db = await connectDb(config.MONGODB_URI);
  if (config.SEED_DEMO && config.NODE_ENV !== 'production') {
    const demo = await seedDemo(db.models, config.ENCRYPTION_KEY, { publicUrl: config.PUBLIC_URL });
    log.info({ businessId: demo.businessId, pageId: demo.messengerPageId, instagramId: demo.instagramAccountId }, 'demo business ready');
  }
  const temporal = await connectTemporalClient(config);
  const metrics = createMetrics({ collectDefaults: true });
  const app = createApp({
    config,
    db,
    log,
    dispatcher: createDispatcher({
      client: temporal.client,
      taskQueue: temporal.taskQueue,
      models: db.models,
      keyRing: config.ENCRYPTION_KEY,
      settings: conversationSettingsFrom(config),
      timeoutMs: config.TEMPORAL_DISPATCH_TIMEOUT_MS,
      observe: (signal, seconds, isOk) => metrics.temporalDispatch.observe({ signal, outcome: isOk ? 'ok' : 'error' }, seconds),
    }),
    channelRouter: createChannelRouter(db.models),
    metrics,
    readiness: {
      mongodb: () => pingDb(db),
      temporal: () => pingTemporal(temporal.connection),
    },
  });

  const server: Server = app.listen(config.PORT, config.HOST, () =>
    log.info({ url: `http://${config.HOST}:${config.PORT}` }, 'API listening'),
  );
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'API shutting down: no new connections, finishing in-flight requests');
    setTimeout(() => process.exit(1), 15_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive socket turns idle once its last response is out; close() only finishes when those are gone too.
    const sweeper = setInterval(() => server.closeIdleConnections(), 200);
    server.closeIdleConnections();
    await closed;
    clearInterval(sweeper);
    await Promise.allSettled([db.close(), temporal.close()]);
    log.info('API stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
};

main().catch((err: unknown) => {
  process.stderr.write(
    `API failed to start: ${(err as Error).message}\nCheck that MongoDB (MONGODB_URI) and Temporal (TEMPORAL_ADDRESS) are reachable.\n`,
  );
  process.exit(1);
});
