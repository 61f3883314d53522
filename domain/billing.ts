/**
 * The billing record a business's BillingWorkflow keeps in MongoDB, and the one rule every reader applies to it:
 * may the bot answer now, within which limits. Pure (no I/O): the workflow, its activities, the reply path and
 * the API share it.
 */
import { planOf, type PaidPlanId, type PlanId, type PlanLimits, type UsageAlertPercent } from './plans.js';

export type BillingStatus = 'trialing' | 'active' | 'past_due' | 'paused' | 'canceled';
/** Why the bot does not answer (paused or canceled), shown to the owner. */
export type BillingReason = 'trial_ended' | 'payment_failed' | 'paused_in_stripe' | 'canceled';

/** Times are milliseconds since the epoch. */
export type BillingRecord = {
  businessId: string;
  plan: PlanId;
  status: BillingStatus;
  reason?: BillingReason;
  trialEndsAt?: number;
  stripeCustomerId?: string;
  stripeSubscriptionId?: string;
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  /** When the first unpaid invoice was seen; the grace period runs from here. */
  pastDueSince?: number;
  graceEndsAt?: number;
  /** Canceled: the bot answers until then (the end of the period paid for). */
  serviceUntil?: number;
};

export type ServiceVerdict = { canReply: true; limits: PlanLimits } | { canReply: false; reason: BillingReason };

/**
 * Whether the bot may answer at `now`. Timers are checked here too, so a late workflow (or one not started yet)
 * never gives service past a trial's or a grace period's end. No record yet: the business is in its trial.
 */
export const serviceVerdict = (record: BillingRecord | null, now: number): ServiceVerdict => {
  if (!record) return { canReply: true, limits: planOf('trial').limits };
  const ok = { canReply: true, limits: planOf(record.plan).limits } as const;
  switch (record.status) {
    case 'trialing':
      if (!record.stripeSubscriptionId && record.trialEndsAt !== undefined && now >= record.trialEndsAt)
        return { canReply: false, reason: 'trial_ended' };
      return ok;
    case 'active':
      return ok;
    case 'past_due':
      return record.graceEndsAt !== undefined && now >= record.graceEndsAt ? { canReply: false, reason: 'payment_failed' } : ok;
    case 'paused':
      return { canReply: false, reason: record.reason ?? 'paused_in_stripe' };
    case 'canceled':
      return record.serviceUntil !== undefined && now < record.serviceUntil ? ok : { canReply: false, reason: 'canceled' };
  }
};

/** Usage is counted per calendar month in UTC: `2026-05`. */
export const usagePeriodOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
export const periodBoundsOf = (period: string) => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
};

export const billingWorkflowId = (businessId: string) => `billing:${businessId}`;

/** The Stripe events the webhook accepts; every other type is acknowledged and ignored. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.trial_will_end',
  'invoice.paid',
  'invoice.payment_failed',
] as const;
export type HandledStripeEvent = (typeof HANDLED_STRIPE_EVENTS)[number];
export const isHandledStripeEvent = (type: string): type is HandledStripeEvent =>
  HANDLED_STRIPE_EVENTS.includes(type as HandledStripeEvent);

/** What the webhook hands the workflow: ids only; the workflow re-reads the subscription from Stripe. */
export type StripeEventNotice = { eventId: string; type: HandledStripeEvent; subscriptionId?: string; customerId?: string };

/** A subscription as Stripe has it now, read by an activity; the workflow decides what it means. Times in ms. */
export type SubscriptionSnapshot = {
  id: string;
  customerId: string;
  /** Stripe's status: active, trialing, past_due, unpaid, paused, canceled, incomplete, incomplete_expired. */
  status: string;
  plan?: PaidPlanId;
  currentPeriodEnd?: number;
  cancelAtPeriodEnd: boolean;
  trialEnd?: number;
  /** From the subscription's metadata (set at checkout). */
  businessId?: string;
};

/** Usage reached an alert percentage (sent by the reply path, by wire name, since activities sit below workflows). */
export type UsageAlert = { period: string; percent: UsageAlertPercent; used: number; limit: number };
export const USAGE_ALERT_SIGNAL = 'usageAlert';
export const STRIPE_EVENT_SIGNAL = 'stripeEvent';
