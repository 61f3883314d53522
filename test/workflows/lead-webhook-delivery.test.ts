import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverResult } from '../../activities/notifications/lead-webhooks.js';
import {
  leadWebhookDeliveryWorkflow,
  leadWebhookDeliveryWorkflowId,
  type LeadWebhookDeliveryInput,
} from '../../workflows/lead-webhook-delivery.js';
import {
  attemptInfo,
  expectActivityFailure,
  startWorkflowEnv,
  uniqueWorkflowId,
  withWorker,
  type StubActivities,
} from '../helpers/workflow-env.js';
import { MINUTE_MS, HOUR_MS } from '../../lib/durations.js';

/** The production retry settings: 30 s doubling up to 1 h apart, given up after 24 h. */
const RETRY = { initialRetryMs: 30_000, maxRetryMs: HOUR_MS, giveUpAfterMs: 24 * HOUR_MS };

type Call = { attempt: number; activityAttempt: number; workflowId: string; scheduledAt: number };

/** deliverLeadWebhook answering from a script (one entry per call, the last one repeats): a result, or an error to throw. */
const receiver = (script: (DeliverResult | Error)[]) => {
  const calls: Call[] = [];
  const gaveUp: { attempts: number; workflowId: string }[] = [];
  return {
    calls,
    gaveUp,
    activities: {
      async deliverLeadWebhook(input: { attempt: number; workflowId: string }): Promise<DeliverResult> {
        const next = script[calls.length] ?? script.at(-1)!;
        const info = attemptInfo();
        calls.push({ attempt: input.attempt, activityAttempt: info.attempt, workflowId: input.workflowId, scheduledAt: info.scheduledAt });
        if (next instanceof Error) throw next;
        return next;
      },
      async recordLeadWebhookGaveUp(input: { attempts: number; workflowId: string }) {
        gaveUp.push({ attempts: input.attempts, workflowId: input.workflowId });
        return { isDisabled: false };
      },
    } satisfies StubActivities,
  };
};

const FAILED: DeliverResult = { status: 'failed', statusCode: 503, why: 'HTTP 503' };

describe('leadWebhookDeliveryWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const deliver = (activities: ReturnType<typeof receiver>['activities'], input: Partial<LeadWebhookDeliveryInput> = {}) => {
    const workflowId = leadWebhookDeliveryWorkflowId(uniqueWorkflowId('hook'), 'evt_1');
    return withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(leadWebhookDeliveryWorkflow, {
        taskQueue,
        workflowId,
        args: [{ businessId: 'biz_a', endpointId: 'hook_1', eventId: 'evt_1', retry: RETRY, ...input }],
      }),
    );
  };

  it('retries a refused delivery 30 s, then 1 min later, each a logged attempt of its own, until it is accepted', async () => {
    const stub = receiver([FAILED, FAILED, { status: 'delivered', statusCode: 200 }]);
    expect(await deliver(stub.activities)).toEqual({ status: 'delivered', attempts: 3 });
    expect(stub.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const [a, b, c] = stub.calls.map((x) => x.scheduledAt);
    expect(b! - a!).toBeGreaterThanOrEqual(30_000);
    expect(b! - a!).toBeLessThan(MINUTE_MS);
    expect(c! - b!).toBeGreaterThanOrEqual(MINUTE_MS);
    expect(c! - b!).toBeLessThan(2 * MINUTE_MS);
    expect(stub.gaveUp).toEqual([]);
  });

  it('stops at once when the endpoint or the lead is gone', async () => {
    const stub = receiver([{ status: 'undeliverable', why: 'endpoint deleted or disabled' }]);
    expect(await deliver(stub.activities)).toEqual({ status: 'undeliverable', attempts: 1 });
    expect(stub.gaveUp).toEqual([]);
  });

  it('gives up when the next attempt would fall past 24 h, with gaps doubling up to an hour, and records it once', async () => {
    const stub = receiver([FAILED]);
    const outcome = await deliver(stub.activities);
    const gapsMin = stub.calls.slice(1).map((c, i) => Math.floor((c.scheduledAt - stub.calls[i]!.scheduledAt) / MINUTE_MS));
    // 0.5, 1, 2, …, 32 min (63.5 min in all), then hourly: after the 30th attempt the next would start past 24 h.
    expect(gapsMin.slice(0, 8)).toEqual([0, 1, 2, 4, 8, 16, 32, 60]);
    expect(new Set(gapsMin.slice(7))).toEqual(new Set([60]));
    expect(outcome).toEqual({ status: 'gave_up', attempts: 30 });
    expect(stub.gaveUp).toEqual([{ attempts: 30, workflowId: stub.calls[0]!.workflowId }]);
  });

  it('retries an infrastructure fault within the same logged attempt', async () => {
    const stub = receiver([new Error('mongo blip'), new Error('mongo blip'), { status: 'delivered', statusCode: 204 }]);
    expect(await deliver(stub.activities)).toEqual({ status: 'delivered', attempts: 1 });
    expect(stub.calls.map((c) => [c.attempt, c.activityAttempt])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
  });

  it('fails after five attempts when our own infrastructure stays down', async () => {
    const stub = receiver([new Error('mongo down')]);
    const failure = await expectActivityFailure(deliver(stub.activities), 'Error');
    expect(failure.message).toBe('mongo down');
    expect(stub.calls).toHaveLength(5);
    expect(stub.gaveUp).toEqual([]);
  });
});
