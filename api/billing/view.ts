/** GET …/billing: the plan, whether the assistant answers and why not, this month's usage and what can be bought. */
import type { Models } from '../../db/models/index.js';
import { readUsage } from '../../domain/billing-records.js';
import { periodBoundsOf, serviceVerdict, usagePeriodOf, type BillingRecord } from '../../domain/billing.js';
import { countChannels, countSeats, overLimitOf } from '../../domain/plan-limits.js';
import { PAID_PLANS, PLANS, planOf, type StripePrices } from '../../domain/plans.js';
import type { BillingView } from './schemas.js';
import { isoOrNull } from '../../lib/iso.js';

/** `prices` absent: Stripe is not configured and the record is the unlimited local plan's. */
export const billingViewOf = async (
  models: Models,
  record: BillingRecord,
  prices: StripePrices | undefined,
  now: number,
): Promise<BillingView> => {
  const period = usagePeriodOf(now);
  const [conversations, channels, seats] = await Promise.all([
    readUsage(models, record.businessId, period),
    countChannels(models, record.businessId),
    countSeats(models, record.businessId, new Date(now)),
  ]);
  const plan = planOf(record.plan);
  // Without Stripe nothing is limited, whatever an older record says (domain/plan-limits.ts planInForce).
  const overLimit = prices === undefined ? {} : overLimitOf(plan, { channels, seats });
  const verdict = serviceVerdict(record, now);
  return {
    plan: { id: plan.id, name: plan.name, limits: plan.limits },
    status: record.status,
    canReply: verdict.canReply,
    reason: verdict.canReply ? null : verdict.reason,
    trialEndsAt: record.status === 'trialing' || record.reason === 'trial_ended' ? isoOrNull(record.trialEndsAt) : null,
    currentPeriodEnd: isoOrNull(record.currentPeriodEnd),
    cancelAtPeriodEnd: record.cancelAtPeriodEnd ?? false,
    graceEndsAt: record.status === 'past_due' ? isoOrNull(record.graceEndsAt) : null,
    serviceUntil: record.status === 'canceled' ? isoOrNull(record.serviceUntil) : null,
    usage: { period, periodEnd: new Date(periodBoundsOf(period).end).toISOString(), conversations, channels, seats },
    overLimit: Object.keys(overLimit).length > 0 ? overLimit : null,
    isStripeConfigured: prices !== undefined,
    hasPortal: prices !== undefined && record.stripeCustomerId !== undefined,
    plans: PAID_PLANS.map((id) => ({ id, name: PLANS[id].name, limits: PLANS[id].limits, canBuy: Boolean(prices?.[id]) })),
  };
};
