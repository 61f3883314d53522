/**
 * Vitest global setup: ONE Temporal dev server and ONE FerretDB for the whole run, handed to the
 * test files with provide/inject (see test/helpers/services.ts), and the workflow bundle built once beside them.
 *
 * - TEMPORAL_ADDRESS set → that server is used (nothing started).
 * - MONGODB_URI set → that server is used (test databases get unique names).
 * Binaries come from .tools (installed by `npm test`; installed here too when missing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { startFerretDb, type RunningFerretDb } from '../scripts/services/ferretdb.js';
import { SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_KEYS } from '../scripts/services/search-attributes.js';
import { dynamicConfigArgs, ensureSearchAttributes } from '../scripts/services/temporal-dev.js';
import { ensureFerretDb, ensureTemporal } from '../scripts/tools/install.js';
import { mongoBaseUri, redactMongoUri } from '../scripts/tools/mongo-uri.js';
import { findFerretDb, findTemporalCli, findTemporalTestServer } from '../scripts/tools/paths.js';
import { getFreePort } from '../scripts/tools/proc.js';
import { provideWorkflowBundle } from './global-setup-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the shared Temporal dev server (namespace "default"). */
    temporalAddress: string;
    /** MongoDB base URI without a database name, e.g. mongodb://127.0.0.1:40123/ */
    mongoUri: string;
    /** Native time-skipping test server, when installed (else the SDK downloads one). */
    temporalTestServerPath: string | undefined;
  }
}

/** What this setup provides; importing this type also loads the ProvidedContext declaration. */
export type GlobalServices = Pick<ProvidedContext, 'temporalAddress' | 'mongoUri' | 'temporalTestServerPath'>;

const log = (line: string) => process.stdout.write(`[global-setup] ${line}\n`);
const quiet = () => undefined;

const startTemporal = async (): Promise<{ address: string; teardown: () => Promise<void> }> => {
  const external = process.env.TEMPORAL_ADDRESS?.trim();
  if (external) {
    const connection = await Connection.connect({ address: external, connectTimeout: 10_000 });
    try {
      await ensureSearchAttributes(connection, process.env.TEMPORAL_NAMESPACE ?? 'default', SEARCH_ATTRIBUTES, log);
    } finally {
      await connection.close();
    }
    log(`Temporal: using TEMPORAL_ADDRESS=${external}`);
    return { address: external, teardown: async () => undefined };
  }
  const cli = findTemporalCli() ?? (await ensureTemporal(log))?.cli;
  const options = {
    server: {
      executable: cli ? ({ type: 'existing-path', path: cli } as const) : ({ type: 'cached-download' } as const),
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'error' },
      extraArgs: dynamicConfigArgs(['frontend.enableExecuteMultiOperation=true']),
    },
  };
  const started = Date.now();
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal(options);
  } catch (err) {
    // The SDK allows the server only 5 s to come up; on a busy machine try once more.
    log(`Temporal dev server did not start (${err instanceof Error ? err.message : String(err)}); retrying once…`);
    env = await TestWorkflowEnvironment.createLocal(options);
  }
  log(`✓ Temporal dev server at ${env.address} (${cli ?? 'SDK download'}, ${Date.now() - started} ms)`);
  return { address: env.address, teardown: () => env.teardown() };
};

const startMongo = async (): Promise<{ uri: string; teardown: () => Promise<void> }> => {
  const external = process.env.MONGODB_URI?.trim();
  if (external) {
    log(`MongoDB: using MONGODB_URI=${redactMongoUri(external)} (each test file gets its own database)`);
    return { uri: mongoBaseUri(external), teardown: async () => undefined };
  }
  const bin = findFerretDb() ?? (await ensureFerretDb(log));
  const dataDir = mkdtempSync(join(tmpdir(), 'luxleads-test-'));
  let ferret: RunningFerretDb | undefined;
  try {
    ferret = await startFerretDb({ dataDir, port: await getFreePort(), binPath: bin, reuseRunning: false, log: quiet });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  log(`✓ FerretDB at ${ferret.uri} (data in ${dataDir})`);
  const running = ferret;
  return {
    uri: running.uri,
    teardown: async () => {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bundling = provideWorkflowBundle(project);
  const [temporal, mongo] = await Promise.allSettled([startTemporal(), startMongo()]);
  const removeBundle = await bundling;
  if (temporal.status === 'rejected' || mongo.status === 'rejected') {
    if (temporal.status === 'fulfilled') await temporal.value.teardown();
    if (mongo.status === 'fulfilled') await mongo.value.teardown();
    removeBundle();
    throw temporal.status === 'rejected' ? temporal.reason : (mongo as PromiseRejectedResult).reason;
  }
  project.provide('temporalAddress', temporal.value.address);
  project.provide('mongoUri', mongo.value.uri);
  project.provide('temporalTestServerPath', findTemporalTestServer());
  return async () => {
    await Promise.allSettled([temporal.value.teardown(), mongo.value.teardown()]);
    removeBundle();
    log('services stopped');
  };
}
