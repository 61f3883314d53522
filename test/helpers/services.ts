/**
 * Access to the services started once per run by test/global-setup.ts, plus small helpers that
 * keep test files independent of each other (unique databases and task queues).
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { inject } from 'vitest';
import { withDatabase } from '../../scripts/tools/mongo-uri.js';
import { findTemporalTestServer } from '../../scripts/tools/paths.js';
import type { GlobalServices } from '../global-setup.js';

/** Typed inject() of what test/global-setup.ts provides. */
export const provided = <K extends keyof GlobalServices>(key: K): GlobalServices[K] => inject(key);

const random6 = (): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
};

const sanitise = (name: string, max: number): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/, '') || 'x';

/** A fresh database name `t_<name>_<random6>`: only [a-z0-9_], at most 60 characters (FerretDB/SQLite safe). */
export const testDbName = (name: string): string => `t_${sanitise(name, 60 - 9)}_${random6()}`;

/** MongoDB URI of a new, unique database on the shared test server. */
export const testMongoUri = (name: string): string => withDatabase(provided('mongoUri'), testDbName(name));

/** host:port of the shared Temporal dev server (namespace "default"). */
export const temporalAddress = (): string => provided('temporalAddress');

/** A task queue no other test uses, so workers of parallel test files never steal each other's tasks. */
export const uniqueTaskQueue = (name: string): string => `test-${sanitise(name, 40)}-${random6()}`;

/** A TestWorkflowEnvironment bound to the shared dev server (no time skipping). Call teardown() after. */
export const connectTestEnv = (): Promise<TestWorkflowEnvironment> =>
  TestWorkflowEnvironment.createFromExistingServer({ address: temporalAddress() });

/**
 * A time-skipping environment on its own native test server (one per call; teardown() stops it).
 * Uses the installed `temporal-test-server`, else the SDK's download (needs internet).
 */
export const createTimeSkippingEnv = (client?: TimeSkippingTestWorkflowEnvironmentOptions['client']): Promise<TestWorkflowEnvironment> => {
  const path = provided('temporalTestServerPath') ?? findTemporalTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
    client,
  });
};
