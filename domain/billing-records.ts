/**
 * Reading the billing record and counting usage in MongoDB: the reply path and the API share these.
 * A conversation is counted once per month, the first time the bot answers it that month; past the plan's
 * limit a new conversation is refused (and not counted), while the threads already counted carry on.
 */
import type { BillingAccountDoc } from '../db/models/billing.js';
import type { Models } from '../db/models/index.js';
import { usagePeriodOf, type BillingRecord, type BillingReason, type BillingStatus } from './billing.js';
import { TRIAL_DAYS, USAGE_ALERT_PERCENTS, usageAlertAt, type PlanId, type UsageAlertPercent } from './plans.js';
import { DAY_MS } from '../lib/durations.js';

const ms = (d: Date | null | undefined) => (d ? d.getTime() : undefined);
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

export const toBillingRecord = (doc: BillingAccountDoc & { _id: string }): BillingRecord =>
  defined({
    businessId: doc._id,
    plan: doc.plan as PlanId,
    status: doc.status as BillingStatus,
    reason: (doc.reason ?? undefined) as BillingReason | undefined,
    trialEndsAt: ms(doc.trialEndsAt),
    stripeCustomerId: doc.stripeCustomerId ?? undefined,
    stripeSubscriptionId: doc.stripeSubscriptionId ?? undefined,
    currentPeriodEnd: ms(doc.currentPeriodEnd),
    cancelAtPeriodEnd: doc.cancelAtPeriodEnd ?? undefined,
    pastDueSince: ms(doc.pastDueSince),
    graceEndsAt: ms(doc.graceEndsAt),
    serviceUntil: ms(doc.serviceUntil),
  });

export const loadBillingRecord = async (models: Models, businessId: string): Promise<BillingRecord | null> => {
  const doc = await models.BillingAccount.findById(businessId).lean();
  return doc ? toBillingRecord(doc as BillingAccountDoc & { _id: string }) : null;
};

/**
 * The record, created on first use: a 14-day trial from the business's creation, or the unlimited local plan
 * when Stripe is not configured. Undefined when the business does not exist.
 */
export const ensureBillingRecord = async (
  models: Models,
  input: { businessId: string; isStripeConfigured: boolean; now: number },
): Promise<BillingRecord | undefined> => {
  const existing = await loadBillingRecord(models, input.businessId);
  if (existing) return existing;
  const business = await models.Business.findById(input.businessId, { createdAt: 1 }).lean();
  if (!business) return undefined;
  const created = (business as { createdAt?: Date }).createdAt?.getTime() ?? input.now;
  const initial = input.isStripeConfigured
    ? { plan: 'trial', status: 'trialing', trialEndsAt: new Date(created + TRIAL_DAYS * DAY_MS) }
    : { plan: 'local', status: 'active' };
  // $setOnInsert: whoever comes first (the workflow, or the API storing the Stripe customer id) creates it.
  await models.BillingAccount.updateOne({ _id: input.businessId }, { $setOnInsert: initial }, { upsert: true });
  return (await loadBillingRecord(models, input.businessId)) ?? undefined;
};

export const usageCounterId = (businessId: string, period: string) => `${businessId}:${period}`;

export const readUsage = async (models: Models, businessId: string, period: string) =>
  (await models.BillingUsage.findById(usageCounterId(businessId, period), { conversations: 1 }).lean())?.conversations ?? 0;

export type Admission =
  | { isAllowed: true; isNewlyCounted: boolean; used?: number; alert?: UsageAlertPercent }
  | { isAllowed: false; used: number; limit: number };

/**
 * Counts `conversationId` for this month if it is not counted yet and there is room under `limit` (null: no limit).
 * Safe to retry: the mark decides whether a thread is counted, and an increment that lost the race is undone.
 */
export const admitConversation = async (
  models: Models,
  input: { businessId: string; conversationId: string; limit: number | null; now: number },
): Promise<Admission> => {
  const period = usagePeriodOf(input.now);
  const markId = `${usageCounterId(input.businessId, period)}:${input.conversationId}`;
  if (await models.BillingUsageMark.exists({ _id: markId })) return { isAllowed: true, isNewlyCounted: false };

  const counterId = usageCounterId(input.businessId, period);
  await models.BillingUsage.updateOne(
    { _id: counterId },
    { $setOnInsert: { businessId: input.businessId, period, conversations: 0 } },
    { upsert: true },
  );
  const room = input.limit === null ? {} : { conversations: { $lt: input.limit } };
  const counted = await models.BillingUsage.findOneAndUpdate(
    { _id: counterId, ...room },
    { $inc: { conversations: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!counted) return { isAllowed: false, used: await readUsage(models, input.businessId, period), limit: input.limit ?? 0 };

  const earlier = await models.BillingUsageMark.findOneAndUpdate(
    { _id: markId },
    { $setOnInsert: { businessId: input.businessId, period, at: new Date(input.now) } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  if (earlier) {
    await models.BillingUsage.updateOne({ _id: counterId }, { $inc: { conversations: -1 } });
    return { isAllowed: true, isNewlyCounted: false };
  }
  const used = counted.conversations;
  const limit = input.limit;
  const alert = limit === null ? undefined : USAGE_ALERT_PERCENTS.filter((p) => usageAlertAt(limit, p) === used).at(-1);
  return { isAllowed: true, isNewlyCounted: true, used, ...(alert ? { alert } : {}) };
};
