/**
 * `npm start`: runs LuxLeads locally with everything it needs.
 *
 *   1. Temporal dev server (unless TEMPORAL_ADDRESS is set), persisted in <DATA_DIR>/temporal.db
 *   2. FerretDB (unless MONGODB_URI is set), persisted in <DATA_DIR>/ferretdb/
 *   3. the local Meta Graph sandbox (unless META_GRAPH_URL is set or NODE_ENV=production)
 *   4. the owner web app built into web/dist when stale, then api/main.ts and worker/main.ts as child processes,
 *      output prefixed [api] / [worker]
 *
 * Then waits for GET /readyz and prints where everything is. Ctrl-C / SIGTERM stops it all in
 * order; a second Ctrl-C (after a moment) forces. DATA_DIR defaults to <repo>/.data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { withDevDefaults } from '../config/dev-defaults.js';
import { startFakeGraph } from '../sandbox/fakes/graph.js';
import { startFerretDb, type RunningFerretDb } from './services/ferretdb.js';
import { SEARCH_ATTRIBUTES } from './services/search-attributes.js';
import { startTemporalDevServer, type RunningTemporal } from './services/temporal-dev.js';
import { ensureFerretDb, ensureTemporal } from './tools/install.js';
import { redactMongoUri, withDatabase } from './tools/mongo-uri.js';
import { codecUiEndpoint } from '../lib/codec-ui-key.js';
import { ROOT } from './tools/paths.js';
import { sleep, stopChild, waitForExit, type ExitInfo } from './tools/proc.js';
import { WORKER_NODE_ARGS, workerProcessEnv } from '../worker/node-args.js';
import { ensureWebBuild } from '../web/build.js';

const tty = process.stdout.isTTY;
const paint = (code: number, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const log = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`${line}\n`);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

const GRAPH_SANDBOX_PORT = 3901;
/** The Pages the sandbox's Facebook Login offers to a new account (not the demo business's, which is connected already). */
const SANDBOX_LOGIN_PAGES = [
  { id: '100000000000101', name: 'My Sandbox Page', token: 'sandbox-page-token-101' },
  { id: '100000000000102', name: 'My Second Sandbox Page', token: 'sandbox-page-token-102' },
];
const READY_TIMEOUT_MS = 120_000;
const APP_STOP_GRACE_MS = 10_000;

type App = { name: string; child: ChildProcess; exited: Promise<ExitInfo> };
type Stoppable = { name: string; stop: () => Promise<void> };

const apps: App[] = [];
/** Started services, stopped in reverse order after the apps. */
const services: Stoppable[] = [];
let shuttingDown = false;
let firstSignalAt = 0;

const describeExit = (e: ExitInfo) => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`);

const shutdown = async (reason: string, exitCode: number, trigger?: NodeJS.Signals): Promise<never> => {
  if (shuttingDown) return new Promise<never>(() => undefined);
  shuttingDown = true;
  log(`\n${reason}: stopping LuxLeads…`);

  const running = apps.filter((a) => a.child.exitCode === null && a.child.signalCode === null);
  if (running.length > 0) {
    // Ctrl-C in a terminal reaches every process of the group, so api/worker already got SIGINT:
    // give them time to finish gracefully instead of signalling them twice.
    const alreadySignalled = trigger === 'SIGINT';
    log(
      alreadySignalled
        ? `  waiting for ${running.map((a) => a.name).join(', ')} to stop (up to ${APP_STOP_GRACE_MS / 1000}s)…`
        : `  stopping ${running.map((a) => a.name).join(', ')} (SIGTERM, up to ${APP_STOP_GRACE_MS / 1000}s)…`,
    );
    await Promise.all(
      running.map(async (app) => {
        let result: ExitInfo;
        if (alreadySignalled) {
          const timeout = sleep(APP_STOP_GRACE_MS).then(() => undefined);
          result = (await Promise.race([app.exited, timeout])) ?? (await stopChild(app.child, 5_000, 'SIGTERM'));
        } else {
          result = await stopChild(app.child, APP_STOP_GRACE_MS, 'SIGTERM');
        }
        log(`  ✓ ${app.name} stopped (${describeExit(result)})`);
      }),
    );
  }
  for (const service of [...services].reverse()) {
    log(`  stopping ${service.name}…`);
    try {
      await service.stop();
      log(`  ✓ ${service.name} stopped`);
    } catch (err) {
      warn(`  ! stopping ${service.name} failed: ${errorText(err)}`);
    }
  }
  log(exitCode === 0 ? '✓ LuxLeads stopped' : `LuxLeads stopped (exit ${exitCode})`);
  process.exit(exitCode);
};

const onSignal = (signal: NodeJS.Signals) => {
  const now = Date.now();
  if (!shuttingDown) {
    firstSignalAt = now;
    void shutdown(`${signal} received`, 0, signal);
    return;
  }
  // npm, the bootstrap and the terminal may each deliver the same Ctrl-C: only a later one forces.
  if (now - firstSignalAt < 1_500) return;
  warn('\nSecond interrupt: killing everything now.');
  for (const app of apps) app.child.kill('SIGKILL');
  process.exit(130); // the exit hook in tools/proc.ts SIGKILLs temporal and ferretdb
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** After a short grace (a Ctrl-C may be on its way), treat a dying process as fatal. */
const watch = (name: string, exited: Promise<ExitInfo> | undefined, hint: string) => {
  void exited?.then(async (info) => {
    await sleep(500);
    if (shuttingDown) return;
    warn(`\n✗ ${name} exited unexpectedly (${describeExit(info)}). ${hint}`);
    await shutdown(`${name} failed`, 1);
  });
};

const spawnApp = (name: string, entry: string, env: NodeJS.ProcessEnv, color: number, nodeArgs: readonly string[] = []): App => {
  const file = join(ROOT, entry);
  if (!existsSync(file)) throw new Error(`${entry} not found: cannot start the ${name}.`);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  const prefix = paint(color, `[${name}]`);
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (l) => process.stdout.write(`${prefix} ${l}\n`));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => process.stderr.write(`${prefix} ${l}\n`));
  child.once('error', (err) => warn(`${prefix} could not start: ${err.message}`));
  const app = { name, child, exited: waitForExit(child) };
  apps.push(app);
  watch(name, app.exited, `See the [${name}] lines above.`);
  return app;
};

/** Names of failing checks in a /readyz body, whatever its exact shape. */
const failingChecks = (body: unknown): string[] => {
  const bad = (v: unknown) =>
    v === false || (typeof v === 'string' && /^(down|fail|failed|failing|error|unhealthy|not[ _-]?ready|timeout|unavailable)/i.test(v));
  const out: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const name = path ? `${path}.${key}` : key;
      if (bad(v)) out.push(typeof v === 'string' ? `${name}: ${v}` : name);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.ok === false || bad(o.status) || o.healthy === false || o.ready === false) {
          const detail = o.error ?? o.message ?? o.status;
          out.push(detail !== undefined ? `${name}: ${String(detail)}` : name);
        } else visit(v, name);
      }
    }
  };
  visit(body, '');
  return out.filter((f) => !/^(status|ok|ready)(:|$)/.test(f));
};

const waitForReady = async (url: string): Promise<void> => {
  const started = Date.now();
  let last: string;
  let lastBody: unknown;
  let lastProgress = started;
  log(`Waiting for ${url}…`);
  while (!shuttingDown) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      const text = await res.text();
      if (res.status === 200) {
        log(`✓ API ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
        return;
      }
      try {
        lastBody = JSON.parse(text);
      } catch {
        lastBody = text;
      }
      const failing = failingChecks(lastBody);
      last = `HTTP ${res.status}${failing.length ? `, failing: ${failing.join(', ')}` : ''}`;
    } catch (err) {
      last = /ECONNREFUSED|fetch failed/i.test(errorText(err)) ? 'not listening yet' : errorText(err);
    }
    const elapsed = Date.now() - started;
    if (elapsed > READY_TIMEOUT_MS) {
      const body = typeof lastBody === 'string' ? lastBody : JSON.stringify(lastBody);
      warn(`\n✗ The API did not become ready within ${READY_TIMEOUT_MS / 1000}s (${last}).`);
      if (body) warn(`  Last /readyz answer: ${body.slice(0, 800)}`);
      warn('  Check the [api] and [worker] lines above and the logs in the data folder.');
      await shutdown('Not ready', 1);
    }
    if (Date.now() - lastProgress >= 5_000) {
      lastProgress = Date.now();
      log(`  still waiting for the API (${Math.round(elapsed / 1000)}s; ${last})`);
    }
    await sleep(1_000);
  }
};

const box = (title: string, rows: [string, string][], footer: string) => {
  const labelWidth = Math.max(...rows.map(([l]) => l.length));
  const lines = [title, '', ...rows.map(([l, v]) => `${l.padEnd(labelWidth)}  ${v}`), '', footer];
  const width = Math.max(...lines.map((l) => l.length));
  log('');
  log(`┌${'─'.repeat(width + 2)}┐`);
  for (const l of lines) log(`│ ${l.padEnd(width)} │`);
  log(`└${'─'.repeat(width + 2)}┘`);
};

/** The local stand-in for graph.facebook.com (sandbox/fakes): replies to the demo pages land there, not at Meta. */
const startGraphSandbox = async (env: NodeJS.ProcessEnv): Promise<{ url: string; close: () => unknown } | undefined> => {
  try {
    // Demo sandbox: any page token is accepted; app id/secret match the dev secrets the api uses.
    const graph = await startFakeGraph({
      port: GRAPH_SANDBOX_PORT,
      acceptAnyToken: true,
      appId: env.META_APP_ID,
      appSecret: env.META_APP_SECRET,
      loginPages: SANDBOX_LOGIN_PAGES,
    });
    log(`✓ Graph sandbox at ${graph.url}: Messenger/Instagram replies from the demo pages land there`);
    return graph;
  } catch (err) {
    warn(`! Graph sandbox not started (${errorText(err)}); META_GRAPH_URL stays at its default`);
    return undefined;
  }
};

const main = async () => {
  const dataDir = resolve(process.env.DATA_DIR ?? join(ROOT, '.data'));
  log(`LuxLeads local start (data in ${dataDir})`);
  const env: NodeJS.ProcessEnv = withDevDefaults({ ...process.env }, dataDir);
  env.DATA_DIR = dataDir;
  const port = Number(env.PORT ?? 3000);
  env.PUBLIC_URL ??= `http://127.0.0.1:${port}`;
  const production = env.NODE_ENV === 'production';

  // 1. Temporal
  let temporal: RunningTemporal | undefined;
  if (env.TEMPORAL_ADDRESS) {
    log(`Temporal: using TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}`);
  } else {
    const tools = await ensureTemporal(log);
    temporal = await startTemporalDevServer({
      dataDir,
      port: 7233,
      uiPort: 8233,
      searchAttributes: SEARCH_ATTRIBUTES,
      // The UI decrypts payloads through our codec endpoint (api/routes/codec.ts; docs/codec.md).
      // The dev UI cannot send a bearer token: it gets a secret codec path derived from OPS_TOKEN instead.
      codecEndpoint: env.TEMPORAL_UI_CODEC_ENDPOINT || (env.OPS_TOKEN ? codecUiEndpoint(env.PUBLIC_URL, env.OPS_TOKEN) : undefined),
      cliPath: tools?.cli,
      log,
    });
    const running = temporal;
    services.push({ name: 'Temporal', stop: () => running.stop() });
    watch('Temporal', temporal.exited, temporal.logFile ? `See ${temporal.logFile}.` : '');
    env.TEMPORAL_ADDRESS = temporal.address;
    if (temporal.uiUrl) env.TEMPORAL_UI_URL ??= temporal.uiUrl;
  }

  // 2. MongoDB (FerretDB)
  let ferret: RunningFerretDb | undefined;
  if (env.MONGODB_URI) {
    log(`MongoDB: using MONGODB_URI=${redactMongoUri(env.MONGODB_URI)}`);
  } else {
    const bin = await ensureFerretDb(log);
    ferret = await startFerretDb({ dataDir, port: 27017, binPath: bin, log });
    const running = ferret;
    services.push({ name: 'FerretDB', stop: () => running.stop() });
    watch('FerretDB', ferret.exited, ferret.logFile ? `See ${ferret.logFile}.` : '');
    env.MONGODB_URI = withDatabase(ferret.uri, 'luxleads');
  }

  // 3. Graph sandbox
  let graphUrl: string | undefined;
  if (!env.META_GRAPH_URL && !production) {
    const graph = await startGraphSandbox(env);
    if (graph) {
      services.push({ name: 'Graph sandbox', stop: async () => void (await graph.close()) });
      env.META_GRAPH_URL = graph.url;
      // "Connect with Facebook" in the app opens the sandbox's stand-in for Meta's login dialog.
      env.META_LOGIN_URL ??= graph.url;
      graphUrl = graph.url;
    }
  }
  if (shuttingDown) return;

  // 4. api + worker (the API serves the owner web app from web/dist: built here when missing or stale)
  await ensureWebBuild(log);
  log('Starting api and worker…');
  spawnApp('api', 'api/main.ts', env, 36);
  spawnApp('worker', 'worker/main.ts', workerProcessEnv(env), 35, WORKER_NODE_ARGS);

  const host = !env.HOST || ['0.0.0.0', '::', 'localhost'].includes(env.HOST) ? '127.0.0.1' : env.HOST;
  const apiUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await waitForReady(`${apiUrl}/readyz`);
  if (shuttingDown) return;

  const publicUrl = env.PUBLIC_URL.replace(/\/+$/, '');
  const rows: [string, string][] = [
    ['App', `${publicUrl}/app (sign up here)`],
    ['API', apiUrl],
    ['Demo', `${publicUrl}/demo`],
    ['API docs', `${publicUrl}/docs`],
    ['Temporal UI', temporal?.uiUrl ?? env.TEMPORAL_UI_URL ?? '(external Temporal)'],
    ['MongoDB', redactMongoUri(env.MONGODB_URI)],
  ];
  if (graphUrl) rows.push(['Graph sandbox', `${graphUrl} (outgoing Meta replies)`]);
  rows.push(['Data', dataDir]);
  if (!production) rows.push(['Dev secrets', join(dataDir, 'dev-secrets.json')]);
  box('LuxLeads is running', rows, 'Ctrl-C to stop');
};

main().catch(async (err: unknown) => {
  warn(`\n✗ ${errorText(err)}`);
  await shutdown('Start-up failed', 1);
});
