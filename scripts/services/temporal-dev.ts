/**
 * Runs `temporal server start-dev` for local use (`npm start`), persisted in `<dataDir>/temporal.db`,
 * output in `<dataDir>/logs/temporal.log`.
 *
 * - Reuses a Temporal server already listening on the port.
 * - Registers the search attributes on every start (start-dev on an existing db does not always).
 * - Without a CLI binary, falls back to the SDK's own download (`cached-download`, needs internet).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { findTemporalCli } from '../tools/paths.js';
import { defaultLog, isPortOpen, sleep, type ExitInfo, type Logger, launchService } from '../tools/proc.js';
import { CLI_TO_SDK_TYPE, searchAttributeArgs, type CliSearchAttributeType, type SearchAttributeDef } from './search-attributes.js';

export type StartTemporalOptions = {
  /** Folder for temporal.db and logs/temporal.log. */
  dataDir: string;
  port?: number | undefined;
  /** Web UI port (default port + 1000 = 8233). */
  uiPort?: number | undefined;
  /** false → `--headless`. */
  ui?: boolean | undefined;
  namespace?: string | undefined;
  searchAttributes?: readonly SearchAttributeDef[] | undefined;
  /** Remote codec endpoint for the Web UI (decrypts payloads for display). */
  codecEndpoint?: string | undefined;
  /** Binary to run; default findTemporalCli(). */
  cliPath?: string | undefined;
  /** Seconds to wait for the server to answer (default 60). */
  startTimeoutSec?: number | undefined;
  extraArgs?: string[] | undefined;
  log?: Logger | undefined;
};

export type RunningTemporal = {
  /** host:port for clients and workers. */
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** True when an already running server was reused (stop() then does nothing). */
  reused: boolean;
  logFile: string | undefined;
  /** Resolves if the server process ends (only for a process started here). */
  exited: Promise<ExitInfo> | undefined;
  stop(): Promise<void>;
};

/** Dynamic config the app relies on (update-with-start, updates) and offline-friendliness. */
export const TEMPORAL_DYNAMIC_CONFIG = [
  'frontend.enableServerVersionCheck=false',
  'frontend.enableExecuteMultiOperation=true',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
] as const;

export const dynamicConfigArgs = (values: readonly string[] = TEMPORAL_DYNAMIC_CONFIG): string[] =>
  values.flatMap((v) => ['--dynamic-config-value', v]);

// @temporalio/proto is CommonJS without detectable named exports: use the default import.
const { temporal } = proto;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPE: Record<CliSearchAttributeType, IndexedValueType> = {
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Connects and checks the namespace answers; undefined (not thrown) when it does not (yet). */
const tryConnect = async (address: string, namespace: string, timeoutMs: number): Promise<Connection | undefined> => {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    await connection.workflowService.describeNamespace({ namespace });
    return connection;
  } catch {
    await connection?.close().catch(() => undefined);
    return undefined;
  }
};

/**
 * Adds the search attributes that are missing on `namespace` (idempotent; "already exists" is fine).
 * Warns when an attribute exists with another type.
 */
export const ensureSearchAttributes = async (
  connection: Connection,
  namespace: string,
  defs: readonly SearchAttributeDef[],
  log: Logger = defaultLog,
): Promise<void> => {
  if (defs.length === 0) return;
  const existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  const missing: Record<string, IndexedValueType> = {};
  for (const [name, type] of defs) {
    const have = existing[name];
    if (have === undefined) missing[name] = INDEXED_TYPE[type];
    else if (have !== INDEXED_TYPE[type]) {
      log(`! search attribute ${name} exists with type ${temporal.api.enums.v1.IndexedValueType[have]}, expected ${type}`);
    }
  }
  if (Object.keys(missing).length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (err) {
    if (!/already exists/i.test(errorMessage(err))) throw err;
  }
  log(`  registered search attributes: ${Object.keys(missing).join(', ')}`);
};

/** Fallback without a CLI binary: the SDK downloads the dev server (needs internet access). */
const startWithSdkDownload = async (
  o: StartTemporalOptions & { dataDir: string; port: number; uiPort: number; namespace: string },
  log: Logger,
): Promise<RunningTemporal> => {
  log('No Temporal CLI binary found: letting the Temporal SDK download the dev server (needs internet access)…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { defineSearchAttributeKey } = await import('@temporalio/common');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      dbFilename: join(o.dataDir, 'temporal.db'),
      ip: '127.0.0.1',
      port: o.port,
      ui: o.ui !== false,
      uiPort: o.uiPort,
      namespace: o.namespace,
      searchAttributes: (o.searchAttributes ?? []).map(([n, t]) => defineSearchAttributeKey(n, CLI_TO_SDK_TYPE[t])),
      extraArgs: [
        ...dynamicConfigArgs(['frontend.enableExecuteMultiOperation=true']),
        ...(o.codecEndpoint ? ['--ui-codec-endpoint', o.codecEndpoint] : []),
        ...(o.extraArgs ?? []),
      ],
    },
  });
  await ensureSearchAttributes(env.connection, o.namespace, o.searchAttributes ?? [], log);
  log(`✓ Temporal dev server (SDK download) at ${env.address}`);
  return {
    address: env.address,
    namespace: o.namespace,
    uiUrl: o.ui !== false ? `http://127.0.0.1:${o.uiPort}` : undefined,
    reused: false,
    logFile: undefined,
    exited: undefined,
    stop: () => env.teardown(),
  };
};

export const startTemporalDevServer = async (options: StartTemporalOptions): Promise<RunningTemporal> => {
  const log = options.log ?? defaultLog;
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? port + 1000;
  const namespace = options.namespace ?? 'default';
  const dataDir = resolve(options.dataDir);
  const searchAttributes = options.searchAttributes ?? [];
  const address = `127.0.0.1:${port}`;
  const uiUrl = options.ui === false ? undefined : `http://127.0.0.1:${uiPort}`;

  if (await isPortOpen(port)) {
    const connection = await tryConnect(address, namespace, 3_000);
    if (!connection) {
      throw new Error(
        `Port ${port} is already in use, but not by a Temporal server answering namespace "${namespace}".\n` +
          `Stop that program (see: lsof -i :${port}), or set TEMPORAL_ADDRESS to the Temporal server you want to use.`,
      );
    }
    try {
      await ensureSearchAttributes(connection, namespace, searchAttributes, log);
    } finally {
      await connection.close();
    }
    log(`✓ Temporal already running at ${address}: reusing it (not started or stopped by this process)`);
    return { address, namespace, uiUrl, reused: true, logFile: undefined, exited: undefined, stop: async () => undefined };
  }

  const cli = options.cliPath ?? findTemporalCli();
  if (!cli) return startWithSdkDownload({ ...options, dataDir, port, uiPort, namespace }, log);

  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'temporal.log');
  const dbFile = join(dataDir, 'temporal.db');
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    ...(options.ui === false ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']),
    '--db-filename',
    dbFile,
    // Same trade as FerretDB's: WAL without an fsync per commit. Survives a crash of the server, not of the machine;
    // a local development server only (production Temporal runs on its own database).
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...dynamicConfigArgs(),
    ...searchAttributeArgs(searchAttributes),
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...(options.extraArgs ?? []),
  ];

  log(`Starting Temporal dev server on ${address}${uiUrl ? ` (UI ${uiUrl})` : ''}; data ${dbFile}, log ${logFile}`);
  const { exited, stop, failure } = await launchService({
    name: 'Temporal dev server',
    bin: cli,
    args,
    logFile,
    whatToDo:
      `make sure ports ${port} and ${uiPort} are free (lsof -i :${port}); if the log mentions the ` +
      `database, move ${dbFile} away (it holds local workflow history); or set TEMPORAL_ADDRESS to a running server.`,
  });

  const started = Date.now();
  const deadline = started + (options.startTimeoutSec ?? 60) * 1000;
  let lastProgress = started;
  let exitInfo: ExitInfo | undefined;
  void exited.then((e) => (exitInfo = e));
  let connection: Connection | undefined;
  while (!connection) {
    if (exitInfo) throw failure(`exited early (code ${exitInfo.code ?? exitInfo.signal})`);
    if (Date.now() > deadline) {
      await stop();
      throw failure(`did not answer on ${address} within ${options.startTimeoutSec ?? 60}s`);
    }
    if (Date.now() - lastProgress >= 5_000) {
      lastProgress = Date.now();
      log(`  waiting for Temporal on ${address}… (${Math.round((Date.now() - started) / 1000)}s)`);
    }
    if (await isPortOpen(port)) connection = await tryConnect(address, namespace, 2_000);
    if (!connection) await sleep(250);
  }
  try {
    await ensureSearchAttributes(connection, namespace, searchAttributes, log);
  } catch (err) {
    await connection.close().catch(() => undefined);
    await stop();
    throw new Error(`Registering search attributes on ${address} failed: ${errorMessage(err)}`, { cause: err });
  }
  await connection.close();
  log(`✓ Temporal dev server ready at ${address} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return { address, namespace, uiUrl, reused: false, logFile, exited, stop };
};
