import { describe, expect, it } from 'vitest';
import type { BillingRecord, SubscriptionSnapshot } from '../../domain/billing.js';
import { applySubscription, applyTime, nextDueAt } from '../../workflows/billing-state.js';
import { DAY_MS } from '../../lib/durations.js';

const T0 = Date.UTC(2026, 4, 1, 9);
const trial: BillingRecord = { businessId: 'biz_1', plan: 'trial', status: 'trialing', trialEndsAt: T0 + 14 * DAY_MS };
const sub = (status: string, over: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot => ({
  id: 'sub_1',
  customerId: 'cus_1',
  status,
  plan: 'growth',
  currentPeriodEnd: T0 + 30 * DAY_MS,
  cancelAtPeriodEnd: false,
  ...over,
});

describe('billing decisions', () => {
  it('reminds three days before the own trial ends, then pauses with the reason', () => {
    expect(nextDueAt(trial, [])).toBe(T0 + 11 * DAY_MS);
    expect(applyTime(trial, T0 + 10 * DAY_MS, []).emails).toEqual([]);
    const reminder = applyTime(trial, T0 + 11 * DAY_MS, []);
    expect(reminder.record).toBe(trial);
    expect(reminder.emails).toEqual([{ kind: 'trial_ending', key: `trial_ending:${trial.trialEndsAt}`, date: trial.trialEndsAt }]);
    // Once sent, only the end is left to wait for.
    expect(nextDueAt(trial, [reminder.emails[0]!.key])).toBe(trial.trialEndsAt);
    expect(applyTime(trial, T0 + 12 * DAY_MS, [reminder.emails[0]!.key]).emails).toEqual([]);
    const ended = applyTime(trial, trial.trialEndsAt!, [reminder.emails[0]!.key]);
    expect(ended.record).toMatchObject({ status: 'paused', reason: 'trial_ended' });
    expect(ended.emails.map((e) => e.kind)).toEqual(['trial_ended']);
  });

  it('takes the plan from a paid subscription and leaves the trial timers behind', () => {
    const paid = applySubscription(trial, sub('active'), T0 + DAY_MS);
    expect(paid.record).toMatchObject({ status: 'active', plan: 'growth', stripeSubscriptionId: 'sub_1', stripeCustomerId: 'cus_1' });
    expect(paid.emails).toEqual([]);
    expect(nextDueAt(paid.record, [])).toBeUndefined();
    // The same snapshot again (a redelivered or reordered event) changes nothing: the same object comes back.
    expect(applySubscription(paid.record, sub('active'), T0 + 2 * DAY_MS).record).toBe(paid.record);
  });

  it('past due: grace from the first failure, reminders on days 3 and 6, paused on day 7, resumed on payment', () => {
    const active = applySubscription(trial, sub('active'), T0).record;
    const failed = applySubscription(active, sub('past_due'), T0 + DAY_MS);
    expect(failed.record).toMatchObject({ status: 'past_due', pastDueSince: T0 + DAY_MS, graceEndsAt: T0 + 8 * DAY_MS });
    expect(failed.emails).toEqual([{ kind: 'payment_failed', key: `payment_failed:${T0 + DAY_MS}`, date: T0 + 8 * DAY_MS }]);
    // A second failure (Stripe retries the card) keeps the first clock.
    expect(applySubscription(failed.record, sub('past_due'), T0 + 3 * DAY_MS).record).toBe(failed.record);

    let sent: string[] = [];
    expect(nextDueAt(failed.record, sent)).toBe(T0 + 4 * DAY_MS);
    const first = applyTime(failed.record, T0 + 4 * DAY_MS, sent);
    expect(first.emails.map((e) => e.kind)).toEqual(['payment_reminder']);
    sent = first.emails.map((e) => e.key);
    expect(nextDueAt(failed.record, sent)).toBe(T0 + 7 * DAY_MS);
    const second = applyTime(failed.record, T0 + 7 * DAY_MS, sent);
    sent = [...sent, ...second.emails.map((e) => e.key)];
    expect(second.emails).toHaveLength(1);
    expect(nextDueAt(failed.record, sent)).toBe(T0 + 8 * DAY_MS);
    const paused = applyTime(failed.record, T0 + 8 * DAY_MS, sent);
    expect(paused.record).toMatchObject({ status: 'paused', reason: 'payment_failed' });
    expect(paused.emails.map((e) => e.kind)).toEqual(['paused']);
    // Still unpaid: stays paused for the same reason.
    expect(applySubscription(paused.record, sub('past_due'), T0 + 9 * DAY_MS).record.status).toBe('paused');

    const resumed = applySubscription(paused.record, sub('active'), T0 + 10 * DAY_MS);
    expect(resumed.record).toMatchObject({ status: 'active' });
    expect(resumed.record.reason).toBeUndefined();
    expect(resumed.record.graceEndsAt).toBeUndefined();
    expect(resumed.emails.map((e) => e.kind)).toEqual(['resumed']);
  });

  it('after an outage sends only the latest reminder that fell due', () => {
    const failed = applySubscription(applySubscription(trial, sub('active'), T0).record, sub('past_due'), T0).record;
    const late = applyTime(failed, T0 + 6.5 * DAY_MS, []);
    expect(late.emails).toEqual([expect.objectContaining({ kind: 'payment_reminder', key: `payment_reminder:${T0}:1` })]);
    expect(nextDueAt(failed, [late.emails[0]!.key])).toBe(T0 + 7 * DAY_MS);
  });

  it('canceled: replies until the end of the period paid for, or at once when it was unpaid', () => {
    const active = applySubscription(trial, sub('active'), T0).record;
    const canceled = applySubscription(active, sub('canceled'), T0 + 5 * DAY_MS);
    expect(canceled.record).toMatchObject({ status: 'canceled', reason: 'canceled', serviceUntil: T0 + 30 * DAY_MS });
    expect(canceled.emails).toEqual([{ kind: 'canceled', key: 'canceled:sub_1', date: T0 + 30 * DAY_MS }]);
    expect(nextDueAt(canceled.record, [])).toBe(T0 + 30 * DAY_MS);

    const unpaid = applySubscription(active, sub('past_due'), T0 + DAY_MS).record;
    expect(applySubscription(unpaid, sub('canceled'), T0 + 5 * DAY_MS).record.serviceUntil).toBe(T0 + 5 * DAY_MS);
  });

  it('ignores news of an old subscription while another is live, and an unpaid checkout', () => {
    const active = applySubscription(trial, sub('active', { id: 'sub_new' }), T0).record;
    expect(applySubscription(active, sub('canceled', { id: 'sub_old' }), T0 + DAY_MS).record).toBe(active);
    expect(applySubscription(trial, sub('incomplete'), T0).record).toBe(trial);
  });

  it('Stripe trials (card at checkout) keep Stripe’s trial end; Stripe pausing the subscription pauses the bot', () => {
    const trialing = applySubscription(trial, sub('trialing', { trialEnd: T0 + 20 * DAY_MS }), T0).record;
    expect(trialing).toMatchObject({ status: 'trialing', trialEndsAt: T0 + 20 * DAY_MS, stripeSubscriptionId: 'sub_1' });
    // Stripe owns this trial: no timer of ours.
    expect(nextDueAt(trialing, [])).toBeUndefined();
    const paused = applySubscription(trialing, sub('paused'), T0 + 20 * DAY_MS);
    expect(paused.record).toMatchObject({ status: 'paused', reason: 'paused_in_stripe' });
    expect(paused.emails.map((e) => e.kind)).toEqual(['paused']);
  });
});
