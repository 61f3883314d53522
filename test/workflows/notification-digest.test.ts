import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestPlan } from '../../activities/notifications/digest.js';
import { notificationDigestWorkflow, notificationDigestWorkflowId } from '../../workflows/notification-digest.js';
import { attemptInfo, startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';
import { HOUR_MS } from '../../lib/durations.js';

type Sent = { localDate: string; cutoffMs: number; scheduledAt: number; attempt: number };

/**
 * planDailyDigest schedules the next digest `hoursAhead` after the workflow time it is given, for `days` days,
 * then reports the business back in instant mode; sendDailyDigest throws `failures` times before it works.
 */
const digestStub = (opts: { days: number; hoursAhead?: number; failures?: number; gone?: boolean }) => {
  const plans: { nowMs: number }[] = [];
  const sent: Sent[] = [];
  let failures = opts.failures ?? 0;
  return {
    plans,
    sent,
    activities: {
      async planDailyDigest({ nowMs }: { businessId: string; nowMs: number }): Promise<DigestPlan> {
        plans.push({ nowMs });
        if (opts.gone) return { status: 'business_gone' };
        if (plans.length > opts.days) return { status: 'instant_mode' };
        return { status: 'scheduled', sendAt: nowMs + (opts.hoursAhead ?? 6) * HOUR_MS, localDate: `day-${plans.length}` };
      },
      async sendDailyDigest(input: { businessId: string; localDate: string; cutoffMs: number }) {
        const { attempt, scheduledAt } = attemptInfo();
        if (failures-- > 0) throw new Error('resend 503');
        sent.push({ localDate: input.localDate, cutoffMs: input.cutoffMs, scheduledAt, attempt });
        return { sent: true, leads: 1 };
      },
    } satisfies StubActivities,
  };
};

describe('notificationDigestWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const run = (activities: ReturnType<typeof digestStub>['activities']) => {
    const workflowId = notificationDigestWorkflowId(uniqueWorkflowId('biz'));
    return withWorker(env, activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(notificationDigestWorkflow, {
        taskQueue,
        workflowId,
        args: [{ businessId: 'biz_a' }],
      });
      const outcome = await handle.result();
      return { outcome, firstRun: await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe() };
    });
  };

  it('sends each day at the planned time, each day a fresh run, and ends once the business is back in instant mode', async () => {
    const stub = digestStub({ days: 2 });
    const { outcome, firstRun } = await run(stub.activities);
    expect(outcome).toEqual({ reason: 'instant_mode' });
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(stub.sent.map((s) => s.localDate)).toEqual(['day-1', 'day-2']);
    // Not before the digest time: the cutoff is the planned time and the send starts after it.
    for (const s of stub.sent) expect(s.scheduledAt).toBeGreaterThanOrEqual(s.cutoffMs);
    // Each plan is made from the workflow clock after the previous send.
    expect(stub.plans[1]!.nowMs).toBeGreaterThanOrEqual(stub.sent[0]!.cutoffMs);
    expect(stub.plans).toHaveLength(3);
  });

  it('waits out a failing email provider: the send is retried until it goes', async () => {
    const stub = digestStub({ days: 1, failures: 4 });
    expect((await run(stub.activities)).outcome).toEqual({ reason: 'instant_mode' });
    expect(stub.sent.map((s) => [s.localDate, s.attempt])).toEqual([['day-1', 5]]);
  });

  it('ends without sending when the business is gone', async () => {
    const stub = digestStub({ days: 1, gone: true });
    expect((await run(stub.activities)).outcome).toEqual({ reason: 'business_gone' });
    expect(stub.sent).toEqual([]);
  });
});
