/**
 * The fast workflow layer (test/workflows): the real workflow bundle on a time-skipping test server, with stub
 * activities (plain functions the test registers in place of our activity modules). One server per test file,
 * one worker per test on a task queue of its own; payloads go through the production data converter.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, type DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { expect } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { KeyRing } from '../../lib/key-ring.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { registerSearchAttributes } from '../../temporal/register-search-attributes.js';
import { workflowBundle } from './bundle.js';
import { quietRuntime } from './quiet-runtime.js';
import { createTimeSkippingEnv, uniqueTaskQueue } from './services.js';

/** Stand-ins for any of the activities a workflow calls, with the real signatures. */
export type StubActivities = Partial<Activities>;

const converters = new WeakMap<TestWorkflowEnvironment, DataConverter>();

/**
 * A time-skipping test server of this file's own; `teardown()` it in afterAll. Payloads are encrypted with a random
 * key unless `keyRing` is given (the replay fixtures are recorded with theirs).
 */
export const startWorkflowEnv = async (keyRing: KeyRing = [{ id: 'wftest', key: randomBytes(32) }]): Promise<TestWorkflowEnvironment> => {
  quietRuntime();
  const dataConverter = getDataConverter(keyRing);
  const env = await createTimeSkippingEnv({ dataConverter });
  converters.set(env, dataConverter);
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
};

/**
 * A client of the same server whose `result()` leaves the clock alone. `env.client` lets the server skip time while it
 * waits for a result, and with nothing else pending the server jumps to the next timer of ANY workflow (a child's
 * daily timer included): use this one to read the result of a run that has already ended.
 */
export const fixedClockClient = (env: TestWorkflowEnvironment) =>
  new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter: converters.get(env) });

/** Runs `body` while a worker serving a fresh task queue with `activities` is up; the worker stops when it ends. */
export const withWorker = async <T>(
  env: TestWorkflowEnvironment,
  activities: StubActivities,
  body: (taskQueue: string) => Promise<T>,
): Promise<T> => {
  const taskQueue = uniqueTaskQueue('wf');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    dataConverter: converters.get(env),
  });
  return worker.runUntil(body(taskQueue));
};

/** A workflow id no other test uses. */
export const uniqueWorkflowId = (prefix: string) => `${prefix}-${randomUUID()}`;

/** Inside a stub: which attempt of the activity this is, and when the server scheduled it (skipped time included). */
export const attemptInfo = () => {
  const { attempt, currentAttemptScheduledTimestampMs } = Context.current().info;
  return { attempt, scheduledAt: currentAttemptScheduledTimestampMs };
};

/** Asserts the whole failure chain: WorkflowFailedError → ActivityFailure → ApplicationFailure of `type`. */
export const expectActivityFailure = async (result: Promise<unknown>, type: string) => {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const activityFailure = (err as WorkflowFailedError).cause;
  expect(activityFailure).toBeInstanceOf(ActivityFailure);
  expect(activityFailure?.cause).toBeInstanceOf(ApplicationFailure);
  expect((activityFailure?.cause as ApplicationFailure).type).toBe(type);
  return activityFailure!.cause as ApplicationFailure;
};
