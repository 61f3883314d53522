/**
 * One per business (`billing:<businessId>`), owning its billing state: trialing → active → past_due (7 days of
 * grace with reminder emails) → paused (the bot stops answering) → active again on payment; canceled stops replies
 * at the end of the period paid for, and then this workflow ends (a later Stripe event starts it again from the
 * record). Every change is written to the billing record, which the reply path reads.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  STRIPE_EVENT_SIGNAL,
  USAGE_ALERT_SIGNAL,
  billingWorkflowId,
  type BillingRecord,
  type StripeEventNotice,
  type UsageAlert,
} from '../domain/billing.js';
import { Failure } from '../domain/failures.js';
import { applySubscription, applyTime, nextDueAt, type BillingEmail, type BillingStep } from './billing-state.js';
import { rememberIds, workflowNow } from './helpers.js';

export { billingWorkflowId };
export type BillingCarried = { record: BillingRecord; seenEventIds: string[]; sentEmailKeys: string[] };
export type BillingInput = {
  businessId: string;
  carried?: BillingCarried;
  /** Events and alerts handled per run before continue-as-new (default 500; tests lower it). */
  continueAsNewAfter?: number;
};
export type BillingOutcome = { status: 'canceled'; businessId: string };

export const stripeEventSignal = defineSignal<[StripeEventNotice]>(STRIPE_EVENT_SIGNAL);
export const usageAlertSignal = defineSignal<[UsageAlert]>(USAGE_ALERT_SIGNAL);
export const billingStateQuery = defineQuery<BillingRecord | undefined>('billingState');

const store = proxyActivities<Activities>({
  startToCloseTimeout: '20s',
  // MongoDB outages are waited out: the reply path reads this record.
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: [Failure.NotFound] },
});
const stripe = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // A Stripe outage is waited out (the library already retried with the same idempotency key); a refusal is not.
  retry: { initialInterval: '2s', maximumInterval: '10m', nonRetryableErrorTypes: [Failure.BillingNotConfigured, Failure.InvalidInput] },
});
const mail = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Resend rate limits and 5xx back off for ~15 min; the notification row makes each retry send only what did not go out.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 10 },
});

const MAX_SEEN_EVENTS = 200;
const MAX_SENT_KEYS = 100;
const CONTINUE_AS_NEW_AFTER = 500;

export async function billingWorkflow(input: BillingInput): Promise<BillingOutcome> {
  const { businessId } = input;
  const events: StripeEventNotice[] = [];
  const alerts: UsageAlert[] = [];
  let seen = input.carried?.seenEventIds ?? [];
  let sent = input.carried?.sentEmailKeys ?? [];
  let record: BillingRecord | undefined = input.carried?.record;

  setHandler(stripeEventSignal, (notice) => {
    // The webhook already drops redeliveries; this catches one racing its own retry.
    if (seen.includes(notice.eventId) || events.some((e) => e.eventId === notice.eventId)) return;
    events.push(notice);
  });
  setHandler(usageAlertSignal, (alert) => {
    alerts.push(alert);
  });
  setHandler(billingStateQuery, () => record);

  let current: BillingRecord = record ?? (await store.loadBillingAccount({ businessId, now: workflowNow() }));
  record = current;

  const email = async (e: BillingEmail) => {
    if (sent.includes(e.key)) return;
    try {
      await mail.sendBillingEmail({ businessId, ...e });
    } catch (err) {
      // An email that failed after its retries is logged, never allowed to stop billing.
      if (!(err instanceof ActivityFailure)) throw err;
      log.error('billing email not sent', { kind: e.kind, cause: err.cause?.message });
    }
    sent = rememberIds(sent, [e.key], MAX_SENT_KEYS);
  };
  const commit = async (step: BillingStep) => {
    if (step.record !== current) {
      current = step.record;
      record = current;
      await store.saveBillingAccount({ record: current });
    }
    for (const e of step.emails) await email(e);
  };

  const handleEvent = async (notice: StripeEventNotice) => {
    const subscriptionId = notice.subscriptionId ?? current.stripeSubscriptionId;
    if (!subscriptionId) return log.warn('Stripe event names no subscription', { type: notice.type, eventId: notice.eventId });
    let fetched: Awaited<ReturnType<Activities['fetchSubscription']>>;
    try {
      fetched = await stripe.fetchSubscription({ subscriptionId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      return log.error('subscription not read from Stripe; the next event re-reads it', { cause: err.cause?.message });
    }
    if (!fetched.found) return log.warn('Stripe has no such subscription', { subscriptionId });
    await commit(applySubscription(current, fetched.subscription, workflowNow()));
    if (notice.type === 'customer.subscription.trial_will_end' && current.status === 'trialing' && current.trialEndsAt !== undefined)
      await email({ kind: 'trial_ending', key: `trial_ending:${current.trialEndsAt}`, date: current.trialEndsAt });
  };

  let handled = 0;
  const hasInbox = () => events.length > 0 || alerts.length > 0;
  for (;;) {
    const due = nextDueAt(current, sent);
    if (due === undefined) await condition(hasInbox);
    else await condition(hasInbox, Math.max(1, due - workflowNow()));

    while (events.length > 0) {
      const notice = events.shift()!;
      await handleEvent(notice);
      seen = rememberIds(seen, [notice.eventId], MAX_SEEN_EVENTS);
      handled++;
    }
    while (alerts.length > 0) {
      const a = alerts.shift()!;
      await email({
        kind: a.percent === 100 ? 'usage_100' : 'usage_80',
        key: `usage:${a.period}:${a.percent}`,
        used: a.used,
        limit: a.limit,
      });
      handled++;
    }
    await commit(applyTime(current, workflowNow(), sent));

    if (current.status === 'canceled' && (current.serviceUntil ?? 0) <= workflowNow() && !hasInbox()) {
      await condition(allHandlersFinished);
      return { status: 'canceled', businessId };
    }
    if ((workflowInfo().continueAsNewSuggested || handled >= (input.continueAsNewAfter ?? CONTINUE_AS_NEW_AFTER)) && !hasInbox()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof billingWorkflow>({ ...input, carried: { record: current, seenEventIds: seen, sentEmailKeys: sent } });
    }
  }
}
