/**
 * The whole product wired for a test: a fresh MongoDB database, fake Graph and OpenAI servers, a worker on
 * its own task queue against the shared Temporal server, and the API app built by createApp.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app.js';
import { conversationSettingsFrom, createDispatcher } from '../../api/conversations/dispatch.js';
import { createChannelRouter } from '../../api/meta/channel-router.js';
import { createMetrics } from '../../api/metrics.js';
import { loadConfig } from '../../config/load.js';
import { connectDb, pingDb, type Db } from '../../db/connection.js';
import { DEMO, seedDemo } from '../../domain/demo-seed.js';
import { createLogger } from '../../lib/logger.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { registerSearchAttributes } from '../../temporal/register-search-attributes.js';
import { buildActivityDeps } from '../../worker/build-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import { startFakeGraph, type FakeGraph } from '../../sandbox/fakes/graph.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../sandbox/fakes/openai.js';
import { startFakeResend, type FakeResend } from '../../sandbox/fakes/resend.js';
import { workflowBundle } from './bundle.js';
export { eventually } from './eventually.js';
import { quietRuntime } from './quiet-runtime.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, temporalAddress, testMongoUri, uniqueTaskQueue } from './services.js';
import { pingTemporal } from '../../temporal/client.js';

export const TEST_APP_ID = '1000000000000001';
export const TEST_APP_SECRET = 'test-app-secret-0123456789';
export const TEST_VERIFY_TOKEN = 'test-verify-token';
export const TEST_WHATSAPP = { phoneNumberId: '106540352242922', token: 'test-whatsapp-token-0123456789' } as const;

export type HarnessOptions = {
  withOpenAI?: boolean;
  env?: Record<string, string>;
  startWorker?: boolean;
  /** Run against a time-skipping test server of its own instead of the shared dev server. */
  timeSkipping?: boolean;
  /** Start a fake Resend and point RESEND_API_KEY / RESEND_BASE_URL at it (h.resend). */
  withResend?: boolean;
  /** Configure WhatsApp notifications against the fake Graph, with the 6-variable template approved. */
  withWhatsApp?: boolean;
  /** The driver emits commandStarted events on h.db.connection.getClient() (to count operations per message). */
  monitorDbCommands?: boolean;
};

export const startHarness = async (name: string, opts: HarnessOptions = {}) => {
  quietRuntime();
  const graph: FakeGraph = await startFakeGraph({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET });
  graph.addPage({ id: DEMO.messengerPageId, name: 'Bright Smile', token: DEMO.pageToken, igId: DEMO.instagramAccountId });
  const openai: FakeOpenAI | undefined = opts.withOpenAI ? await startFakeOpenAI() : undefined;
  const resend: FakeResend | undefined = opts.withResend ? await startFakeResend() : undefined;
  if (opts.withWhatsApp) {
    graph.setWhatsAppToken(TEST_WHATSAPP.token);
    graph.setTemplate({ name: 'new_lead_alert', language: 'en_US', paramCount: 6 });
  }
  const taskQueue = uniqueTaskQueue(name);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: testMongoUri(name),
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    ENCRYPTION_KEY: `t1:${randomBytes(32).toString('base64')}`,
    META_APP_ID: TEST_APP_ID,
    META_APP_SECRET: TEST_APP_SECRET,
    META_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    META_GRAPH_URL: graph.url,
    CONVERSATION_BURST_WINDOW_MS: '0',
    ...(openai ? { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${openai.url}/v1` } : {}),
    ...(resend ? { RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: resend.url } : {}),
    ...(opts.withWhatsApp ? { WHATSAPP_PHONE_NUMBER_ID: TEST_WHATSAPP.phoneNumberId, WHATSAPP_ACCESS_TOKEN: TEST_WHATSAPP.token } : {}),
    ...opts.env,
  });
  const log = createLogger({ level: 'silent', name });
  const db: Db = await connectDb(config.MONGODB_URI, { monitorCommands: opts.monitorDbCommands ?? false });
  await seedDemo(db.models, config.ENCRYPTION_KEY, { publicUrl: config.PUBLIC_URL });

  const testEnv: TestWorkflowEnvironment | undefined = opts.timeSkipping ? await createTimeSkippingEnv() : undefined;
  const connection = testEnv ? testEnv.connection : await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  if (testEnv) await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: getDataConverter(config.ENCRYPTION_KEY) });
  const dispatcher = createDispatcher({
    client,
    taskQueue,
    models: db.models,
    keyRing: config.ENCRYPTION_KEY,
    settings: conversationSettingsFrom(config),
    timeoutMs: config.TEMPORAL_DISPATCH_TIMEOUT_MS,
    // Test files share one Temporal server and reuse demo ids: a prefix keeps their workflows apart.
    workflowIdPrefix: `${taskQueue}:`,
  });
  const app = createApp({
    config,
    db,
    log,
    dispatcher,
    channelRouter: createChannelRouter(db.models),
    metrics: createMetrics(),
    readiness: { mongodb: () => pingDb(db), temporal: () => pingTemporal(connection) },
  });

  const nativeConnection = testEnv ? testEnv.nativeConnection : await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const activityDeps = buildActivityDeps(config, db, log, { temporal: { client, taskQueue } });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createWorker({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      keyRing: config.ENCRYPTION_KEY,
      deps: activityDeps,
      workflowBundle: await workflowBundle(),
    });
    workerRun = worker.run();
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    await workerRun;
    worker = undefined;
  };
  if (opts.startWorker !== false) await startWorker();

  return {
    config,
    db,
    models: db.models,
    graph,
    openai,
    resend,
    client,
    testEnv,
    dispatcher,
    app,
    taskQueue,
    activityDeps,
    log,
    startWorker,
    stopWorker,
    async stop() {
      await stopWorker();
      if (testEnv) await testEnv.teardown();
      else await Promise.allSettled([nativeConnection.close(), connection.close()]);
      await Promise.allSettled([graph.close(), openai?.close(), resend?.close()]);
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
};
export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Whether any run of `workflowId` exists in Temporal (deleted or never started: false). */
export const workflowExists = async (client: Client, workflowId: string) => {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
};
