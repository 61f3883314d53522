/**
 * Runs FerretDB (MongoDB wire protocol, SQLite storage) for `npm start` and the tests.
 * Data in `<dataDir>/ferretdb/`, state in `<dataDir>/ferretdb-state/`, output in `<dataDir>/logs/ferretdb.log`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mongo } from 'mongoose';
import { findFerretDb } from '../tools/paths.js';
import { defaultLog, isPortOpen, sleep, type ExitInfo, type Logger, launchService } from '../tools/proc.js';

export type StartFerretDbOptions = {
  dataDir: string;
  port?: number | undefined;
  /** Binary to run; default findFerretDb(). */
  binPath?: string | undefined;
  /** Seconds to wait for the first ping (default 30). */
  startTimeoutSec?: number | undefined;
  /** Reuse a MongoDB-compatible server already answering on the port (default true). */
  reuseRunning?: boolean | undefined;
  log?: Logger | undefined;
  /** host:port for FerretDB's debug listener (/debug/metrics counts requests per command); default off. */
  debugAddr?: string | undefined;
};

export type RunningFerretDb = {
  /** Base URI without a database name, e.g. mongodb://127.0.0.1:27017/ */
  uri: string;
  reused: boolean;
  logFile: string | undefined;
  exited: Promise<ExitInfo> | undefined;
  stop(): Promise<void>;
};

/**
 * The size SQLite cuts each database's write-ahead log back to when the log restarts (`journal_size_limit`). Without
 * it the -wal file keeps the largest size it ever reached (1.8 GB for 79 MB of data after the scale benchmark). The
 * log restarts only when no reader is using it: while 16 clients read and write without a pause it still grows
 * (test/scripts/tools.test.ts prints its peak), and is cut back at the first quiet moment.
 */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

/** True when a MongoDB-compatible server at `uri` answers `ping`. */
export const pingMongo = async (uri: string, timeoutMs = 1_500): Promise<boolean> => {
  const client = new mongo.MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    directConnection: true,
    monitorCommands: false,
  });
  try {
    await client.connect();
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
};

export const startFerretDb = async (options: StartFerretDbOptions): Promise<RunningFerretDb> => {
  const log = options.log ?? defaultLog;
  const port = options.port ?? 27017;
  const dataDir = resolve(options.dataDir);
  const uri = `mongodb://127.0.0.1:${port}/`;

  if (await isPortOpen(port)) {
    if (options.reuseRunning !== false && (await pingMongo(uri, 3_000))) {
      log(`✓ A MongoDB-compatible server already answers at ${uri}: reusing it (not started or stopped by this process)`);
      return { uri, reused: true, logFile: undefined, exited: undefined, stop: async () => undefined };
    }
    throw new Error(
      `Port ${port} is already in use${options.reuseRunning === false ? '' : ' by something that is not a MongoDB server'}.\n` +
        `Stop that program (see: lsof -i :${port}), or set MONGODB_URI to the MongoDB server you want to use.`,
    );
  }

  const bin = options.binPath ?? findFerretDb();
  if (!bin) {
    throw new Error('FerretDB binary not found. Run `node --import tsx scripts/tools/install.ts` (needs Go), or set MONGODB_URI.');
  }

  const sqliteDir = join(dataDir, 'ferretdb');
  const stateDir = join(dataDir, 'ferretdb-state');
  const logDir = join(dataDir, 'logs');
  for (const d of [sqliteDir, stateDir, logDir]) mkdirSync(d, { recursive: true });
  const logFile = join(logDir, 'ferretdb.log');
  const args = [
    '--handler=sqlite',
    // WAL with synchronous=NORMAL: commits stop waiting for an fsync (SQLite's default here is FULL), so the single
    // SQLite writer turns over several times faster; a crash of FerretDB loses nothing, a power cut may lose the
    // last commits. A local stand-in only: production runs MongoDB with its own durability settings.
    `--sqlite-url=file:${sqliteDir}/?_pragma=synchronous(normal)&_pragma=journal_size_limit(${WAL_SIZE_LIMIT_BYTES})`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${stateDir}`,
    '--telemetry=disable',
    '--log-level=warn',
    // The debug/metrics HTTP listener defaults to 127.0.0.1:8088: off, so several instances can run.
    `--debug-addr=${options.debugAddr ?? '-'}`,
  ];

  log(`Starting FerretDB on 127.0.0.1:${port}; data ${sqliteDir}, log ${logFile}`);
  const { exited, stop, failure } = await launchService({
    name: 'FerretDB',
    bin,
    args,
    logFile,
    whatToDo:
      `make sure port ${port} is free (lsof -i :${port}) and ${dataDir} is writable; ` +
      `rebuild with \`rm -rf .tools/bin/ferretdb && node --import tsx scripts/tools/install.ts\`; ` +
      'or set MONGODB_URI to a MongoDB server.',
  });

  const started = Date.now();
  const timeoutSec = options.startTimeoutSec ?? 30;
  let lastProgress = started;
  let exitInfo: ExitInfo | undefined;
  void exited.then((e) => (exitInfo = e));
  for (;;) {
    if (exitInfo) throw failure(`exited early (code ${exitInfo.code ?? exitInfo.signal})`);
    if (Date.now() - started > timeoutSec * 1000) {
      await stop();
      throw failure(`did not answer a ping on 127.0.0.1:${port} within ${timeoutSec}s`);
    }
    if (Date.now() - lastProgress >= 5_000) {
      lastProgress = Date.now();
      log(`  waiting for FerretDB on 127.0.0.1:${port}… (${Math.round((Date.now() - started) / 1000)}s)`);
    }
    if ((await isPortOpen(port)) && (await pingMongo(uri))) break;
    await sleep(150);
  }
  log(`✓ FerretDB ready at ${uri} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return { uri, reused: false, logFile, exited, stop };
};
