/** The Stripe Checkout Session for buying a plan: subscription mode, our customer, and during the trial a start at its end. */
import type Stripe from 'stripe';
import type { BillingRecord } from '../../domain/billing.js';
import { type PaidPlanId } from '../../domain/plans.js';
import { DAY_MS } from '../../lib/durations.js';

/** Stripe accepts a Checkout trial only if it ends at least 48 hours from now (one hour of margin). */
const MIN_CHECKOUT_TRIAL_MS = 2 * DAY_MS + 60 * 60 * 1000;

export const checkoutSessionParams = (input: {
  record: BillingRecord & { stripeCustomerId: string };
  plan: PaidPlanId;
  priceId: string;
  billingPageUrl: string;
  now: number;
}): Stripe.Checkout.SessionCreateParams => {
  const { record } = input;
  const trialEnd =
    record.status === 'trialing' && record.trialEndsAt && record.trialEndsAt - input.now > MIN_CHECKOUT_TRIAL_MS
      ? record.trialEndsAt
      : undefined;
  const metadata = { businessId: record.businessId, plan: input.plan };
  return {
    mode: 'subscription',
    customer: record.stripeCustomerId,
    client_reference_id: record.businessId,
    line_items: [{ price: input.priceId, quantity: 1 }],
    metadata,
    subscription_data: { metadata, ...(trialEnd ? { trial_end: Math.floor(trialEnd / 1000) } : {}) },
    success_url: `${input.billingPageUrl}?checkout=success`,
    cancel_url: `${input.billingPageUrl}?checkout=canceled`,
  };
};
