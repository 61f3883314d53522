/**
 * The plans, in one place: what each allows (conversations a month, connected channels, seats), the free trial
 * and the payment grace period. Prices live in Stripe; STRIPE_PRICE_* name the price of each paid plan.
 * Pure data and functions: the API, the activities and the BillingWorkflow all read this file.
 */

export const PAID_PLANS = ['starter', 'growth', 'pro'] as const;
export type PaidPlanId = (typeof PAID_PLANS)[number];
/** `trial`: the 14 days before a plan is bought; `local`: no Stripe keys configured, nothing is limited. */
export type PlanId = PaidPlanId | 'trial' | 'local';

/** `null`: no limit. Conversations are counted per calendar month (UTC), each thread once a month. */
export type PlanLimits = { conversationsPerMonth: number | null; channels: number | null; seats: number | null };
export type Plan = { id: PlanId; name: string; limits: PlanLimits };

const GROWTH_LIMITS: PlanLimits = { conversationsPerMonth: 1_500, channels: 5, seats: 5 };

export const PLANS: Record<PlanId, Plan> = {
  starter: { id: 'starter', name: 'Starter', limits: { conversationsPerMonth: 300, channels: 2, seats: 2 } },
  growth: { id: 'growth', name: 'Growth', limits: GROWTH_LIMITS },
  pro: { id: 'pro', name: 'Pro', limits: { conversationsPerMonth: 6_000, channels: 15, seats: 15 } },
  // The trial shows what Growth does, without a card.
  trial: { id: 'trial', name: 'Free trial', limits: GROWTH_LIMITS },
  local: { id: 'local', name: 'Unlimited (local)', limits: { conversationsPerMonth: null, channels: null, seats: null } },
};

export const TRIAL_DAYS = 14;
/** The trial-ending email goes out this many days before the trial ends (Stripe's trial_will_end uses 3 too). */
export const TRIAL_REMINDER_DAYS = 3;
/** After a failed payment the bot keeps answering this long; then the subscription's service is paused. */
export const GRACE_DAYS = 7;
/** Reminders during the grace period, in days after the payment failed (the first email goes out at once). */
export const GRACE_REMINDER_DAYS = [3, 6] as const;
/** The owner hears when usage reaches these percentages of the plan's conversations. */
export const USAGE_ALERT_PERCENTS = [80, 100] as const;
export type UsageAlertPercent = (typeof USAGE_ALERT_PERCENTS)[number];

export const isPaidPlan = (id: unknown): id is PaidPlanId => PAID_PLANS.includes(id as PaidPlanId);
export const planOf = (id: string | null | undefined): Plan => PLANS[(id ?? 'trial') as PlanId] ?? PLANS.trial;

/** The Stripe price id of each paid plan (STRIPE_PRICE_STARTER, …); a plan without one cannot be bought. */
export type StripePrices = Record<PaidPlanId, string | undefined>;

export const stripePricesFrom = (c: {
  STRIPE_PRICE_STARTER?: string | undefined;
  STRIPE_PRICE_GROWTH?: string | undefined;
  STRIPE_PRICE_PRO?: string | undefined;
}): StripePrices => ({ starter: c.STRIPE_PRICE_STARTER, growth: c.STRIPE_PRICE_GROWTH, pro: c.STRIPE_PRICE_PRO });

/** Which plan a subscription is on: its price first, then the plan its metadata names (a price retired since). */
export const planOfSubscription = (prices: StripePrices, priceId: string | undefined, metadataPlan: string | undefined) =>
  PAID_PLANS.find((p) => priceId !== undefined && prices[p] === priceId) ?? (isPaidPlan(metadataPlan) ? metadataPlan : undefined);

/** The usage number at which the owner is told, for each alert percentage (at least 1 conversation). */
export const usageAlertAt = (limit: number, percent: UsageAlertPercent) => Math.max(1, Math.ceil((limit * percent) / 100));
