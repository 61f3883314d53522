/**
 * Temporal-side erasure used by deletion, retention and account closure: stop a conversation workflow
 * politely (control update), then delete every run of it — history and visibility — from Temporal.
 */
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { controlUpdate, type ControlRequest } from '../../workflows/conversation.js';

const GRPC_NOT_FOUND = 5;
const GRPC_UNIMPLEMENTED = 12;
const MAX_CHAINED_RUNS = 1000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

const isNotFound = (err: unknown) => err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND);
/** An update or terminate that met a run which had just finished: nothing left to tell it. */
const isClosedOrGone = (err: unknown) =>
  isNotFound(err) || /already completed|workflow execution.*(completed|closed)|not running/i.test((err as Error)?.message ?? '');

/**
 * Sends a control request (`delete` or `restrict`) to a running conversation workflow and waits for it.
 * The update id makes a retried activity attach to the same update instead of sending another.
 * Returns false when there was nothing running to tell.
 */
export const controlConversation = async (
  client: Client,
  workflowId: string,
  request: ControlRequest,
  updateId: string,
): Promise<boolean> => {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return false;
    await handle.executeUpdate(controlUpdate, { args: [request], updateId });
    return true;
  } catch (err) {
    if (isClosedOrGone(err)) return false;
    throw err;
  }
};

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
export const awaitWorkflowsGone = async (client: Client, workflowIds: string[], timeoutMs = 90_000): Promise<string[]> => {
  const deadline = Date.now() + timeoutMs;
  let remaining = [...workflowIds];
  while (remaining.length > 0) {
    const still: string[] = [];
    for (const id of remaining) {
      try {
        await client.workflow.getHandle(id).describe();
        still.push(id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    remaining = still;
    if (remaining.length === 0 || Date.now() > deadline) break;
    await pause(1_000);
  }
  return remaining;
};
