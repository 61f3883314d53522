import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenHealthResult } from '../../activities/channels/token-health.js';
import { tokenHealthWorkflow } from '../../workflows/token-health.js';
import { startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';
import { HOUR_MS } from '../../lib/durations.js';

/** checkChannelTokens answering from a script, one entry per call: a result or an error to throw. */
const scripted = (script: (TokenHealthResult | Error)[]) => {
  const calls: { at: number }[] = [];
  const alerts: string[] = [];
  return {
    calls,
    alerts,
    activities: {
      async checkChannelTokens() {
        const next = script[calls.length] ?? script.at(-1)!;
        calls.push({ at: Date.now() });
        if (next instanceof Error) throw next;
        return next;
      },
      async sendBusinessAlerts({ businessId }: { businessId: string }) {
        alerts.push(businessId);
        return { sent: 0 };
      },
    } satisfies StubActivities,
  };
};

const connected = (n: number): TokenHealthResult => ({ checked: 2, markedChannelIds: [], connected: n });

describe('tokenHealthWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('checks every six hours, alerts after each round and ends once no channel is connected', async () => {
    const stub = scripted([connected(2), connected(1), connected(0)]);
    const startedAt = await env.currentTimeMs();
    const outcome = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(tokenHealthWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('token-health'),
        args: [{ businessId: 'biz_a' }],
      }),
    );
    expect(outcome).toEqual({ reason: 'no_connected_channels', checks: 3 });
    expect(stub.alerts).toEqual(['biz_a', 'biz_a', 'biz_a']);
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(12 * HOUR_MS);
  });

  it('retries a failing check three times, then logs the round as failed and tries again next round', async () => {
    const down = new Error('graph down');
    const stub = scripted([down, down, down, down, connected(0)]);
    const outcome = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(tokenHealthWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('token-health'),
        args: [{ businessId: 'biz_b', intervalMs: 1000 }],
      }),
    );
    // Round 1: three attempts, all failing; round 2: one failure, retried, then nothing connected.
    expect(outcome).toEqual({ reason: 'no_connected_channels', checks: 2 });
    expect(stub.calls).toHaveLength(5);
    expect(stub.alerts).toEqual(['biz_b']);
  });

  it('does not retry a non-retryable failure within the round', async () => {
    const refused = ApplicationFailure.nonRetryable('business not found', 'InvalidInput');
    const stub = scripted([refused, connected(0)]);
    const outcome = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(tokenHealthWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('token-health'),
        args: [{ businessId: 'biz_c', intervalMs: 1000 }],
      }),
    );
    expect(outcome).toEqual({ reason: 'no_connected_channels', checks: 2 });
    expect(stub.calls).toHaveLength(2);
  });

  it('continues as new after 50 checks, so the count starts again in the next run', async () => {
    const stub = scripted([...Array.from({ length: 52 }, () => connected(1)), connected(0)]);
    const workflowId = uniqueWorkflowId('token-health');
    const outcome = await withWorker(env, stub.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(tokenHealthWorkflow, {
        taskQueue,
        workflowId,
        args: [{ businessId: 'biz_d', intervalMs: 1000 }],
      });
      const result = await handle.result();
      const first = await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      return result;
    });
    expect(outcome).toEqual({ reason: 'no_connected_channels', checks: 3 });
    expect(stub.calls).toHaveLength(53);
  });
});
