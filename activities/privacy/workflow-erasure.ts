/**
 * Temporal-side work of deletion, retention and account closure: delete every run of a conversation workflow
 * (history and visibility), and wait until the threads a privacy request told to stop (or to stop answering) have.
 * The telling is a signal from the request's workflow (privacyControlSignal): activities never message workflows.
 */
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ConversationModeAttr } from '../../temporal/search-attributes.js';
import type { ActivityDeps } from '../deps.js';

const GRPC_NOT_FOUND = 5;
const GRPC_UNIMPLEMENTED = 12;
const MAX_CHAINED_RUNS = 1000;

/** The worker's Temporal client, for the activities that erase or watch workflows. */
export const temporalClientOf = (deps: ActivityDeps): Client => {
  // A deployment fault, not a refusal: retried until a worker with a client picks the task up.
  if (!deps.temporal) throw new Error('activities were built without a Temporal client (ActivityDeps.temporal)');
  return deps.temporal.client;
};

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

const isNotFound = (err: unknown) => err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND);
/** A terminate that met a run which had just finished: nothing left to stop. */
const isClosedOrGone = (err: unknown) =>
  isNotFound(err) || /already completed|workflow execution.*(completed|closed)|not running/i.test((err as Error)?.message ?? '');

/** Polls `isSettled` for each item, once a second, until all are or `timeoutMs` passed; returns the ones that are not. */
const settleAll = async <T>(items: T[], isSettled: (item: T) => Promise<boolean>, timeoutMs: number): Promise<T[]> => {
  const deadline = Date.now() + timeoutMs;
  let remaining = [...items];
  while (remaining.length > 0) {
    const still: T[] = [];
    for (const item of remaining) if (!(await isSettled(item))) still.push(item);
    remaining = still;
    if (remaining.length === 0 || Date.now() > deadline) break;
    await pause(1_000);
  }
  return remaining;
};

/**
 * Waits until each thread shows `mode` in its search attribute (a thread sets it when it takes the control) or is no
 * longer running; returns the ids that still do not after `timeoutMs`.
 */
export const awaitConversationModes = (client: Client, workflowIds: string[], mode: string, timeoutMs: number): Promise<string[]> =>
  settleAll(
    workflowIds,
    async (workflowId) => {
      try {
        const description = await client.workflow.getHandle(workflowId).describe();
        return description.status.name !== 'RUNNING' || description.typedSearchAttributes.get(ConversationModeAttr) === mode;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    timeoutMs,
  );

/** The current run and every run it continued from, newest first. */
const runChain = async (client: Client, workflowId: string): Promise<string[]> => {
  const namespace = client.options.namespace;
  const runs: string[] = [];
  try {
    let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
    while (runId && !runs.includes(runId) && runs.length < MAX_CHAINED_RUNS) {
      runs.push(runId);
      const page: {
        history?: {
          events?: { workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null }[] | null;
        } | null;
      } = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId }, maximumPageSize: 1 });
      runId = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return runs;
};

/** Closed runs from earlier lifetimes of the same id; visibility may be missing (time-skipping test server). */
const listedRuns = async (client: Client, workflowId: string): Promise<string[]> => {
  const runs: string[] = [];
  try {
    for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, '')}'` })) runs.push(w.runId);
  } catch {
    // Best effort: the run chain above already covers the live thread.
  }
  return runs;
};

/**
 * Deletes every run of `workflowId` (running ones are terminated first by the server). Deletion is
 * asynchronous on the server side; `describe()` reports not-found shortly after.
 */
export const deleteWorkflowRuns = async (client: Client, workflowId: string): Promise<{ deleted: number; terminatedOnly: number }> => {
  const namespace = client.options.namespace;
  const runs = [...new Set([...(await runChain(client, workflowId)), ...(await listedRuns(client, workflowId))])];
  let deleted = 0;
  let terminatedOnly = 0;
  for (const runId of runs) {
    try {
      await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId, runId } });
      deleted++;
    } catch (err) {
      // Only a true not-found is skipped; anything else (a run finishing mid-delete) fails the activity, whose retry deletes it.
      if (isNotFound(err)) continue;
      if (!(isGrpcServiceError(err) && err.code === GRPC_UNIMPLEMENTED)) throw err;
      // Servers without DeleteWorkflowExecution (the time-skipping test server): at least stop the run.
      await client.workflow
        .getHandle(workflowId, runId)
        .terminate('personal data erased')
        .catch((e: unknown) => {
          if (!isClosedOrGone(e)) throw e;
        });
      terminatedOnly++;
    }
  }
  return { deleted, terminatedOnly };
};

/**
 * Waits until none of `workflowIds` can be described any more (the server deletes asynchronously).
 * Returns the ids still present after `timeoutMs`, for the caller to delete again and retry.
 */
export const awaitWorkflowsGone = (client: Client, workflowIds: string[], timeoutMs = 90_000): Promise<string[]> =>
  settleAll(
    workflowIds,
    async (id) => {
      try {
        await client.workflow.getHandle(id).describe();
        return false;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    timeoutMs,
  );
