/**
 * The BillingWorkflow's decisions as pure functions: what a subscription as Stripe has it now means for the
 * record, what time alone changes (trial end, grace period, reminders), and when that next happens. Each returns
 * the same record object when nothing changed, plus the emails to send; email keys derive from the state, so a
 * repeated decision never mails twice.
 */
import type { BillingRecord, SubscriptionSnapshot } from '../domain/billing.js';
import { GRACE_DAYS, GRACE_REMINDER_DAYS, isPaidPlan, TRIAL_REMINDER_DAYS } from '../domain/plans.js';
import type { BillingEmailKind } from '../domain/emails/billing.js';
import { DAY_MS } from '../lib/durations.js';

export type BillingEmail = { kind: BillingEmailKind; key: string; date?: number; used?: number; limit?: number };
export type BillingStep = { record: BillingRecord; emails: BillingEmail[] };

const unchanged = (record: BillingRecord): BillingStep => ({ record, emails: [] });
const isEnded = (status: string) => status === 'canceled' || status === 'incomplete_expired';
const NOT_PAUSED = { reason: undefined, pastDueSince: undefined, graceEndsAt: undefined, serviceUntil: undefined };

const pastDue = (record: BillingRecord, base: BillingRecord, now: number): BillingStep => {
  // Already in grace (or paused for it): the clock that started with the first failure keeps running.
  if (record.status === 'past_due' || (record.status === 'paused' && record.reason === 'payment_failed'))
    return {
      record: { ...base, status: record.status, reason: record.reason, pastDueSince: record.pastDueSince, graceEndsAt: record.graceEndsAt },
      emails: [],
    };
  const graceEndsAt = now + GRACE_DAYS * DAY_MS;
  return {
    record: { ...base, ...NOT_PAUSED, status: 'past_due', pastDueSince: now, graceEndsAt },
    emails: [{ kind: 'payment_failed', key: `payment_failed:${now}`, date: graceEndsAt }],
  };
};

const canceled = (record: BillingRecord, base: BillingRecord, s: SubscriptionSnapshot, now: number): BillingStep => {
  if (record.status === 'canceled' && record.stripeSubscriptionId === s.id) return unchanged(record);
  // Paid up: replies go on to the end of the period paid for. Canceled for not paying: they stop now.
  const wasUnpaid = record.status === 'past_due' || record.status === 'paused';
  const serviceUntil = wasUnpaid ? now : Math.max(now, s.currentPeriodEnd ?? now);
  return {
    record: { ...base, ...NOT_PAUSED, status: 'canceled', reason: 'canceled', serviceUntil },
    emails: [{ kind: 'canceled', key: `canceled:${s.id}`, date: serviceUntil }],
  };
};

/** What the subscription as Stripe has it now means; event order does not matter, only this snapshot. */
export const applySubscription = (record: BillingRecord, s: SubscriptionSnapshot, now: number): BillingStep => {
  const current = record.stripeSubscriptionId;
  // News of an old subscription never overrides the live one; an unpaid checkout changes nothing yet.
  if (current && s.id !== current && isEnded(s.status) && record.status !== 'canceled') return unchanged(record);
  if (s.status === 'incomplete') return unchanged(record);
  const base: BillingRecord = {
    ...record,
    stripeCustomerId: s.customerId,
    stripeSubscriptionId: s.id,
    plan: s.plan ?? (isPaidPlan(record.plan) ? record.plan : 'starter'),
    currentPeriodEnd: s.currentPeriodEnd,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  };
  let step: BillingStep;
  switch (s.status) {
    case 'active':
      step = {
        record: { ...base, ...NOT_PAUSED, status: 'active' },
        emails: record.status === 'paused' || record.status === 'past_due' ? [{ kind: 'resumed', key: `resumed:${now}` }] : [],
      };
      break;
    case 'trialing':
      step = { record: { ...base, ...NOT_PAUSED, status: 'trialing', trialEndsAt: s.trialEnd ?? record.trialEndsAt }, emails: [] };
      break;
    case 'past_due':
    case 'unpaid':
      step = pastDue(record, base, now);
      break;
    case 'paused':
      step =
        record.status === 'paused'
          ? { record: { ...base, status: 'paused', reason: record.reason }, emails: [] }
          : {
              record: { ...base, ...NOT_PAUSED, status: 'paused', reason: 'paused_in_stripe' },
              emails: [{ kind: 'paused', key: `paused:${s.id}:${now}` }],
            };
      break;
    default:
      step = isEnded(s.status) ? canceled(record, base, s, now) : unchanged(record);
  }
  return sameRecord(step.record, record) ? { record, emails: step.emails } : step;
};

const trialReminderKey = (r: BillingRecord) => `trial_ending:${r.trialEndsAt}`;
const graceReminderKey = (r: BillingRecord, i: number) => `payment_reminder:${r.pastDueSince}:${i}`;
/** Grace reminders not sent yet and not overtaken by a later one (after an outage only the latest that fell due goes out). */
const pendingReminders = (r: BillingRecord, sentKeys: readonly string[]) => {
  const all = GRACE_REMINDER_DAYS.map((d, i) => ({ at: r.pastDueSince! + d * DAY_MS, key: graceReminderKey(r, i) }));
  const lastSent = all.findLastIndex((x) => sentKeys.includes(x.key));
  return all.slice(lastSent + 1);
};
const hasOwnTrial = (r: BillingRecord) => r.status === 'trialing' && !r.stripeSubscriptionId && r.trialEndsAt !== undefined;

/** What time alone changes: the trial's reminder and end, the grace period's reminders and end. */
export const applyTime = (record: BillingRecord, now: number, sentKeys: readonly string[]): BillingStep => {
  if (hasOwnTrial(record)) {
    const endsAt = record.trialEndsAt!;
    if (now >= endsAt)
      return {
        record: { ...record, status: 'paused', reason: 'trial_ended' },
        emails: [{ kind: 'trial_ended', key: `trial_ended:${endsAt}` }],
      };
    const isReminderDue = now >= endsAt - TRIAL_REMINDER_DAYS * DAY_MS && !sentKeys.includes(trialReminderKey(record));
    return { record, emails: isReminderDue ? [{ kind: 'trial_ending', key: trialReminderKey(record), date: endsAt }] : [] };
  }
  if (record.status === 'past_due' && record.pastDueSince !== undefined && record.graceEndsAt !== undefined) {
    if (now >= record.graceEndsAt)
      return {
        record: { ...record, status: 'paused', reason: 'payment_failed' },
        emails: [{ kind: 'paused', key: `paused:${record.pastDueSince}` }],
      };
    const latest = pendingReminders(record, sentKeys)
      .filter((r) => now >= r.at)
      .at(-1);
    return { record, emails: latest ? [{ kind: 'payment_reminder', key: latest.key, date: record.graceEndsAt }] : [] };
  }
  return unchanged(record);
};

/** The next moment applyTime would do something; undefined when nothing is scheduled. */
export const nextDueAt = (record: BillingRecord, sentKeys: readonly string[]): number | undefined => {
  const times: number[] = [];
  if (hasOwnTrial(record)) {
    times.push(record.trialEndsAt!);
    if (!sentKeys.includes(trialReminderKey(record))) times.push(record.trialEndsAt! - TRIAL_REMINDER_DAYS * DAY_MS);
  }
  if (record.status === 'past_due' && record.pastDueSince !== undefined && record.graceEndsAt !== undefined) {
    times.push(record.graceEndsAt);
    times.push(...pendingReminders(record, sentKeys).map((r) => r.at));
  }
  if (record.status === 'canceled' && record.serviceUntil !== undefined) times.push(record.serviceUntil);
  return times.length ? Math.min(...times) : undefined;
};

const FIELDS = [
  'plan',
  'status',
  'reason',
  'trialEndsAt',
  'stripeCustomerId',
  'stripeSubscriptionId',
  'currentPeriodEnd',
  'cancelAtPeriodEnd',
  'pastDueSince',
  'graceEndsAt',
  'serviceUntil',
] as const;
export const sameRecord = (a: BillingRecord, b: BillingRecord) => FIELDS.every((f) => a[f] === b[f]);
