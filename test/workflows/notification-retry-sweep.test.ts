import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadEventFollowUps } from '../../activities/notifications/follow-ups.js';
import { leadWebhookDeliveryWorkflowId } from '../../workflows/lead-webhook-delivery.js';
import { notificationDigestWorkflowId } from '../../workflows/notification-digest.js';
import { notificationRetrySweepWorkflow } from '../../workflows/notification-retry-sweep.js';
import { eventually } from '../helpers/eventually.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';
import {
  attemptInfo,
  fixedClockClient,
  startWorkflowEnv,
  uniqueWorkflowId,
  withWorker,
  type StubActivities,
} from '../helpers/workflow-env.js';
import { MINUTE_MS, DAY_MS } from '../../lib/durations.js';

const RETRY = { initialRetryMs: 30_000, maxRetryMs: 3_600_000, giveUpAfterMs: 86_400_000, disableAfterFailures: 5 };

/**
 * Every sweep finds the same unnotified event (the providers are still down) with the same follow-ups: a CRM
 * delivery and the business's digest. A delivery is accepted at once; the digest plans its first email a day ahead.
 */
const sweepStub = (followUps: LeadEventFollowUps) => {
  const calls = { sweeps: 0, deliveries: [] as string[], digests: 0 };
  return {
    calls,
    activities: {
      async retryUnnotifiedLeadEvents() {
        calls.sweeps++;
        return { found: 1, notified: 0, stillFailing: 1, followUps };
      },
      async deliverLeadWebhook(input: { workflowId: string }) {
        calls.deliveries.push(input.workflowId);
        return { status: 'delivered' as const, statusCode: 200 };
      },
      async planDailyDigest(input: { nowMs: number }) {
        calls.digests++;
        return { status: 'scheduled' as const, sendAt: input.nowMs + DAY_MS, localDate: 'tomorrow' };
      },
    } satisfies StubActivities,
  };
};

describe('notificationRetrySweepWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('starts each delivery and the digest once, as its children, however often the same event comes back', async () => {
    const [endpointId, eventId, businessId] = [uniqueWorkflowId('lwh'), uniqueWorkflowId('lead_created:lead'), uniqueWorkflowId('biz')];
    const stub = sweepStub({ leadWebhooks: [{ businessId, endpointId, eventId, retry: RETRY }], digestBusinessIds: [businessId] });
    const sweepId = uniqueWorkflowId('notification-retry-sweep');
    const deliveryId = leadWebhookDeliveryWorkflowId(endpointId, eventId);
    const digestId = notificationDigestWorkflowId(businessId);

    const { result, delivery, digest } = await withWorker(env, stub.activities, async (taskQueue) => {
      // The clock is moved by hand, never by awaiting a result: with nothing else pending the server would jump to the
      // digest's timer a day ahead, and the digest would then sit on an activity this test does not serve.
      const sweep = await env.client.workflow.start(notificationRetrySweepWorkflow, {
        taskQueue,
        workflowId: sweepId,
        args: [{ stopAfterSweeps: 3, intervalMs: 60_000 }],
      });
      const [delivery, digest] = [env.client.workflow.getHandle(deliveryId), env.client.workflow.getHandle(digestId)];
      await env.sleep('3 minutes');
      await eventually(async () => (await sweep.describe()).status.name === 'COMPLETED', { what: 'three sweeps' });
      const result = await fixedClockClient(env).workflow.getHandle(sweepId).result();
      // Abandoned children live on after the sweep has returned: the delivery ends on its own, the digest waits for 18:00.
      await eventually(async () => (await delivery.describe()).status.name === 'COMPLETED', { what: 'delivery completed' });
      // Ended only once it sits on its timer: a run terminated with an activity pending holds the test server's clock.
      await eventually(() => isWorkflowIdle(env.client, digestId), { what: 'the digest waiting for its send time' });
      const described = { result, delivery: await delivery.describe(), digest: await digest.describe() };
      await digest.terminate('test over');
      return described;
    });

    expect(result).toEqual({ sweeps: 3, notified: 0 });
    expect(stub.calls.sweeps).toBe(3);
    // The second and third starts found them already started (a finished delivery is never started again): one of each.
    expect(stub.calls.deliveries).toEqual([deliveryId]);
    expect(stub.calls.digests).toBe(1);
    for (const child of [delivery, digest]) expect(child.parentExecution?.workflowId).toBe(sweepId);
    expect(delivery.status.name).toBe('COMPLETED');
    expect(digest.status.name).toBe('RUNNING');
    expect(delivery.type).toBe('leadWebhookDeliveryWorkflow');
    expect(digest.type).toBe('notificationDigestWorkflow');
  });

  it('sweeps every 15 minutes, survives a sweep that fails after its retries, and rolls over with continue-as-new', async () => {
    const sweeps: { olderThanMs: number; maxAgeMs: number; attempt: number; at: number }[] = [];
    const activities = {
      async retryUnnotifiedLeadEvents(input: { olderThanMs: number; maxAgeMs: number }) {
        const { attempt, scheduledAt } = attemptInfo();
        sweeps.push({ ...input, attempt, at: scheduledAt });
        // The second sweep fails all three of its attempts; the others notify one event each.
        if (sweeps.length >= 2 && sweeps.length <= 4) throw new Error('mongo down');
        return { found: 1, notified: 1, stillFailing: 0, followUps: { leadWebhooks: [], digestBusinessIds: [] } };
      },
    } satisfies StubActivities;
    const workflowId = uniqueWorkflowId('notification-retry-sweep');
    const firstRun = await withWorker(env, activities, async (taskQueue) => {
      // Runs for ever: not awaited, the clock is moved by hand (two sweeps 15 minutes apart, the failed one's retries).
      const handle = await env.client.workflow.start(notificationRetrySweepWorkflow, {
        taskQueue,
        workflowId,
        args: [{ sweepsPerRun: 2 }],
      });
      await env.sleep('35 minutes');
      const first = await eventually(async () => {
        const d = await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
        return d.status.name === 'CONTINUED_AS_NEW' && d;
      });
      // The new run sweeps at once; ended on its timer, not mid-activity (see above).
      await eventually(() => isWorkflowIdle(env.client, workflowId), { what: 'the second run waiting for its next sweep' });
      await env.client.workflow.getHandle(workflowId).terminate('test over');
      return first;
    });
    // Run 1: a good sweep, a failed one (three attempts), then continue-as-new.
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(sweeps.slice(0, 4).map((s) => s.attempt)).toEqual([1, 1, 2, 3]);
    expect(new Set(sweeps.map((s) => `${s.olderThanMs}/${s.maxAgeMs}`))).toEqual(new Set([`${15 * MINUTE_MS}/${7 * DAY_MS}`]));
    expect(sweeps[1]!.at - sweeps[0]!.at).toBeGreaterThanOrEqual(15 * MINUTE_MS);
  });
});
