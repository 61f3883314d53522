/**
 * A private LuxLeads stack for one benchmark: its own Temporal dev server and FerretDB in a temp folder,
 * the fake Graph and fake OpenAI in this process, and the API / worker as child processes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDispatcher, conversationSettingsFrom, type Dispatcher } from '../../api/conversations/dispatch.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { connectDb, type Db } from '../../db/connection.js';
import { DEMO } from '../../domain/demo-seed.js';
import { startFerretDb, type RunningFerretDb } from '../../scripts/services/ferretdb.js';
import { SEARCH_ATTRIBUTES } from '../../scripts/services/search-attributes.js';
import { startTemporalDevServer, type RunningTemporal } from '../../scripts/services/temporal-dev.js';
import { ensureFerretDb, ensureTemporal } from '../../scripts/tools/install.js';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle.js';
import { withDatabase } from '../../scripts/tools/mongo-uri.js';
import { findFerretDb, findTemporalCli } from '../../scripts/tools/paths.js';
import { getFreePort } from '../../scripts/tools/proc.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { startFakeGraph, type FakeGraph } from '../../sandbox/fakes/graph.js';
import { sandboxReply } from '../../sandbox/fakes/model-output.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../sandbox/fakes/openai.js';
import { spawnNodeChild, waitForHttpOk, WORKER_READY, type NodeChild } from './children.js';
import { WORKER_NODE_ARGS, workerProcessEnv } from '../../worker/node-args.js';

export const BENCH_APP_ID = '1000000000000001';
export const BENCH_APP_SECRET = 'bench-app-secret-0123456789';

export type StackOptions = { name: string; env?: Record<string, string>; log: (line: string) => void };

/** Bytes under `path` (a file, or a folder recursively); files whose name starts with `prefix` when given. */
export const diskBytes = (path: string, prefix?: string): number => {
  let total = 0;
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  for (const entry of readdirSync(path)) {
    if (prefix && !entry.startsWith(prefix)) continue;
    total += diskBytes(join(path, entry));
  }
  return total;
};

const UPKEEP_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'buildInfo', 'buildinfo', 'endSessions', 'getParameter']);

/** `ferretdb_client_requests_total` by command from FerretDB's Prometheus text, without connection upkeep. */
export const ferretRequestCounts = async (url: string): Promise<Map<string, number>> => {
  const text = await (await fetch(url)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^ferretdb_client_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const command = /command="([^"]*)"/.exec(m[1]!)?.[1] ?? '?';
    if (UPKEEP_COMMANDS.has(command)) continue;
    counts.set(command, (counts.get(command) ?? 0) + Number(m[2]));
  }
  return counts;
};

/** One prebuilt workflow bundle per benchmark process, as production workers use (WORKER_WORKFLOW_BUNDLE). */
let bundle: Promise<string> | undefined;
const workflowBundlePath = () => {
  bundle ??= buildWorkflowBundle(join(tmpdir(), `luxleads-bench-workflows-${process.pid}.js`)).then((b) => {
    process.once('exit', () => rmSync(b.outFile, { force: true }));
    return b.outFile;
  });
  return bundle;
};

export const startStack = async (o: StackOptions) => {
  const dir = mkdtempSync(join(tmpdir(), `luxleads-bench-${o.name}-`));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const quiet = () => undefined;
  const cli = findTemporalCli() ?? (await ensureTemporal(o.log))?.cli;
  const ferretBin = findFerretDb() ?? (await ensureFerretDb(o.log));

  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // FerretDB's debug listener counts requests per command: the benchmarks report MongoDB operations per reply.
    const ferretDebugAddr = `127.0.0.1:${await getFreePort()}`;
    const [temporal, ferret]: [RunningTemporal, RunningFerretDb] = await Promise.all([
      startTemporalDevServer({
        dataDir: dir,
        port: await getFreePort(),
        ui: false,
        searchAttributes: SEARCH_ATTRIBUTES,
        cliPath: cli,
        log: quiet,
      }),
      startFerretDb({
        dataDir: dir,
        port: await getFreePort(),
        binPath: ferretBin,
        reuseRunning: false,
        log: quiet,
        debugAddr: ferretDebugAddr,
      }),
    ]);
    stoppers.push(
      () => temporal.stop(),
      () => ferret.stop(),
    );
    const graph: FakeGraph = await startFakeGraph({ appId: BENCH_APP_ID, appSecret: BENCH_APP_SECRET });
    graph.addPage({ id: DEMO.messengerPageId, name: 'Bright Smile', token: DEMO.pageToken, igId: DEMO.instagramAccountId });
    const openai: FakeOpenAI = await startFakeOpenAI();
    // A valid model answer, instantly: the real OpenAI client path runs and succeeds (no fallback).
    openai.respondWithJson(sandboxReply());
    stoppers.push(
      () => graph.close(),
      () => openai.close(),
    );

    const apiPort = await getFreePort();
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      DATA_DIR: dir,
      MONGODB_URI: withDatabase(ferret.uri, 'luxleads_bench'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `bench-${o.name}`,
      ENCRYPTION_KEY: `b1:${randomBytes(32).toString('base64')}`,
      META_APP_ID: BENCH_APP_ID,
      META_APP_SECRET: BENCH_APP_SECRET,
      META_VERIFY_TOKEN: 'bench-verify-token',
      META_GRAPH_URL: graph.url,
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      CONVERSATION_BURST_WINDOW_MS: '0',
      SEED_DEMO: 'true',
      WORKER_WORKFLOW_BUNDLE: await workflowBundlePath(),
      ...o.env,
    };
    const config: Config = loadConfig(env);
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: getDataConverter(config.ENCRYPTION_KEY) });
    stoppers.push(() => connection.close());
    const db: Db = await connectDb(config.MONGODB_URI);
    stoppers.push(() => db.close());
    const dispatcher: Dispatcher = createDispatcher({
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      models: db.models,
      keyRing: config.ENCRYPTION_KEY,
      settings: conversationSettingsFrom(config),
      timeoutMs: config.TEMPORAL_DISPATCH_TIMEOUT_MS,
    });

    const children: NodeChild[] = [];
    stoppers.push(() => Promise.all(children.map((c) => c.stop('SIGTERM', 20_000))));
    const apiUrl = `http://127.0.0.1:${apiPort}`;

    return {
      dir,
      logDir,
      temporal,
      ferret,
      graph,
      openai,
      env,
      config,
      connection,
      client,
      dispatcher,
      db,
      apiUrl,
      async startApi(extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<NodeChild> {
        const api = spawnNodeChild('api', 'api/main.ts', { ...env, ...extraEnv }, logDir, nodeArgs);
        children.push(api);
        await waitForHttpOk(`${apiUrl}/readyz`, 120_000, api);
        return api;
      },
      async startWorker(
        extraEnv: Record<string, string> = {},
        name = 'worker',
        nodeArgs: readonly string[] = WORKER_NODE_ARGS,
      ): Promise<NodeChild> {
        const worker = spawnNodeChild(name, 'worker/main.ts', workerProcessEnv({ ...env, ...extraEnv }), logDir, [...nodeArgs]);
        children.push(worker);
        await worker.waitForOutput(WORKER_READY, 180_000);
        return worker;
      },
      /** The dev server's SQLite database (with its -wal/-shm files). */
      temporalBytes: () => diskBytes(dir, 'temporal.db'),
      ferretBytes: () => diskBytes(join(dir, 'ferretdb')),
      /** FerretDB's request counts by command since it started (connection upkeep such as hello and ping left out). */
      ferretOps: () => ferretRequestCounts(`http://${ferretDebugAddr}/debug/metrics`),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
};
export type BenchStack = Awaited<ReturnType<typeof startStack>>;
