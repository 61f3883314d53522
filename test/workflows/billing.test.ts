import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingRecord, StripeEventNotice, SubscriptionSnapshot } from '../../domain/billing.js';
import { billingStateQuery, billingWorkflow, stripeEventSignal, usageAlertSignal } from '../../workflows/billing.js';
import { startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';
import { DAY_MS } from '../../lib/durations.js';

/** Stripe as the stubs see it: the test sets the subscription's status; emails and saves are recorded. */
const billingStubs = (trialEndsAt: number) => {
  const stripe = { status: 'active', fetches: 0, loads: 0 };
  const emails: { kind: string; key: string }[] = [];
  const saved: BillingRecord[] = [];
  const activities = {
    async loadBillingAccount({ businessId }: { businessId: string }) {
      stripe.loads++;
      return { businessId, plan: 'trial', status: 'trialing', trialEndsAt } satisfies BillingRecord;
    },
    async saveBillingAccount({ record }: { record: BillingRecord }) {
      saved.push(record);
    },
    async fetchSubscription({ subscriptionId }: { subscriptionId: string }) {
      stripe.fetches++;
      const subscription: SubscriptionSnapshot = {
        id: subscriptionId,
        customerId: 'cus_1',
        status: stripe.status,
        plan: 'starter',
        cancelAtPeriodEnd: false,
        currentPeriodEnd: trialEndsAt + 30 * DAY_MS,
      };
      return { found: true as const, subscription };
    },
    async sendBillingEmail(input: { kind: string; key: string }) {
      emails.push({ kind: input.kind, key: input.key });
      return { sent: 1 };
    },
  } satisfies StubActivities;
  return { stripe, emails, saved, activities };
};

const until = async <T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * Ends a billing workflow that would otherwise run on after its test: once its worker is gone, its next timer would
 * schedule a workflow task nobody takes, and that holds the test server's clock for the tests after it. Ended only
 * when idle, inside the worker's lifetime (a run terminated mid-activity holds the clock too).
 */
const endRun = async (env: TestWorkflowEnvironment, workflowId: string) => {
  await until(() => isWorkflowIdle(env.client, workflowId), `${workflowId} idle`);
  await env.client.workflow.getHandle(workflowId).terminate('test over');
};

let eventCount = 0;
const notice = (type: StripeEventNotice['type'], eventId = `evt_${++eventCount}`): StripeEventNotice => ({
  eventId,
  type,
  subscriptionId: 'sub_1',
});

describe('billingWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('trial → paid → failed payment → 7 days of grace with reminders → paused → resumed on payment', async () => {
    const start = await env.currentTimeMs();
    const stubs = billingStubs(start + 14 * DAY_MS);
    await withWorker(env, stubs.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(billingWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('billing'),
        args: [{ businessId: 'biz_flow' }],
      });
      const status = (want: string) => until(async () => (await handle.query(billingStateQuery))?.status === want, `status ${want}`);
      const emailed = (kind: string) => until(async () => stubs.emails.some((e) => e.kind === kind), `${kind} email`);

      await env.sleep('11 days');
      await emailed('trial_ending');

      const paid = notice('checkout.session.completed');
      await handle.signal(stripeEventSignal, paid);
      await status('active');
      // Stripe redelivers the same event: the workflow does not read Stripe again for it.
      const fetches = stubs.stripe.fetches;
      await handle.signal(stripeEventSignal, paid);
      await handle.signal(usageAlertSignal, { period: '2026-05', percent: 80, used: 240, limit: 300 });
      await emailed('usage_80');
      expect(stubs.stripe.fetches).toBe(fetches);

      stubs.stripe.status = 'past_due';
      await handle.signal(stripeEventSignal, notice('invoice.payment_failed'));
      await status('past_due');
      // An older invoice.paid delivered late: the subscription is re-read and is still past due.
      await handle.signal(stripeEventSignal, notice('invoice.paid'));
      await until(async () => stubs.stripe.fetches === fetches + 2, 'late event re-read');
      expect((await handle.query(billingStateQuery))?.status).toBe('past_due');
      const graceEndsAt = (await handle.query(billingStateQuery))!.graceEndsAt!;

      await env.sleep('3 days');
      await until(async () => stubs.emails.filter((e) => e.kind === 'payment_reminder').length === 1, 'first reminder');
      await env.sleep('3 days');
      await until(async () => stubs.emails.filter((e) => e.kind === 'payment_reminder').length === 2, 'second reminder');
      expect((await handle.query(billingStateQuery))?.status).toBe('past_due');
      await env.sleep('1 day');
      await status('paused');
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(graceEndsAt);
      expect((await handle.query(billingStateQuery))?.reason).toBe('payment_failed');
      expect(stubs.saved.at(-1)).toMatchObject({ status: 'paused', reason: 'payment_failed' });

      stubs.stripe.status = 'active';
      await handle.signal(stripeEventSignal, notice('invoice.paid'));
      await status('active');
      await emailed('resumed');
      await handle.signal(usageAlertSignal, { period: '2026-05', percent: 80, used: 240, limit: 300 });
      await handle.signal(usageAlertSignal, { period: '2026-05', percent: 100, used: 300, limit: 300 });
      await emailed('usage_100');
      await endRun(env, handle.workflowId);
    });

    expect(stubs.emails.map((e) => e.kind)).toEqual([
      'trial_ending',
      'usage_80',
      'payment_failed',
      'payment_reminder',
      'payment_reminder',
      'paused',
      'resumed',
      'usage_100',
    ]);
  });

  it('pauses when the trial ends without a plan, and ends once a canceled subscription’s paid period is over', async () => {
    const start = await env.currentTimeMs();
    const stubs = billingStubs(start + 14 * DAY_MS);
    await withWorker(env, stubs.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(billingWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('billing'),
        args: [{ businessId: 'biz_lapsed' }],
      });
      await env.sleep('15 days');
      await until(async () => (await handle.query(billingStateQuery))?.reason === 'trial_ended', 'trial ended');
      expect(stubs.emails.map((e) => e.kind)).toEqual(['trial_ending', 'trial_ended']);

      stubs.stripe.status = 'active';
      await handle.signal(stripeEventSignal, notice('customer.subscription.created'));
      await until(async () => (await handle.query(billingStateQuery))?.status === 'active', 'bought late');
      stubs.stripe.status = 'canceled';
      await handle.signal(stripeEventSignal, notice('customer.subscription.deleted'));
      await until(async () => (await handle.query(billingStateQuery))?.status === 'canceled', 'canceled');
      // Paid up to the period's end: the workflow waits for it, then ends. The period's end is skipped to explicitly:
      // leaving it to result()'s implicit time skipping hung once in a loaded full run.
      await env.sleep('30 days');
      expect(await handle.result()).toEqual({ status: 'canceled', businessId: 'biz_lapsed' });
    });
    expect(stubs.emails.map((e) => e.kind)).toEqual(['trial_ending', 'trial_ended', 'resumed', 'canceled']);
  });

  it('continues as new with its record, the events it has seen and the emails it has sent', async () => {
    const start = await env.currentTimeMs();
    const stubs = billingStubs(start + 14 * DAY_MS);
    await withWorker(env, stubs.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(billingWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('billing'),
        args: [{ businessId: 'biz_long', continueAsNewAfter: 2 }],
      });
      const firstRun = (await handle.describe()).runId;
      const paid = notice('checkout.session.completed');
      await handle.signal(stripeEventSignal, paid);
      await handle.signal(usageAlertSignal, { period: '2026-05', percent: 80, used: 240, limit: 300 });
      await until(async () => (await env.client.workflow.getHandle(handle.workflowId).describe()).runId !== firstRun, 'a new run');
      const next = env.client.workflow.getHandle(handle.workflowId);
      expect(await next.query(billingStateQuery)).toMatchObject({ status: 'active', stripeSubscriptionId: 'sub_1' });
      const fetches = stubs.stripe.fetches;
      await next.signal(stripeEventSignal, paid);
      await next.signal(usageAlertSignal, { period: '2026-05', percent: 80, used: 240, limit: 300 });
      await next.signal(usageAlertSignal, { period: '2026-05', percent: 100, used: 300, limit: 300 });
      await until(async () => stubs.emails.some((e) => e.kind === 'usage_100'), 'usage_100 email');
      expect(stubs.stripe.fetches).toBe(fetches);
      await endRun(env, handle.workflowId);
    });
    expect(stubs.emails.map((e) => e.kind)).toEqual(['usage_80', 'usage_100']);
    // The record was loaded once; the new run carried it.
    expect(stubs.stripe.loads).toBe(1);
  });
});
