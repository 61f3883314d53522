/** What the billing activities need, built once from config: the Stripe client and the plans' prices; absent without STRIPE_SECRET_KEY. */
import type Stripe from 'stripe';
import type { Config } from '../../config/schema.js';
import { stripePricesFrom, type StripePrices } from '../../domain/plans.js';
import { stripeClientFrom } from '../../integrations/stripe.js';

export type BillingDeps = {
  stripe: Stripe;
  prices: StripePrices;
  /** Links in billing emails: `{publicUrl}/app/billing`. */
  publicUrl: string;
};

export const buildBillingDeps = (config: Config): BillingDeps | undefined => {
  const stripe = stripeClientFrom(config);
  return stripe ? { stripe, prices: stripePricesFrom(config), publicUrl: config.PUBLIC_URL.replace(/\/+$/, '') } : undefined;
};

export const billingPageUrl = (publicUrl: string) => `${publicUrl.replace(/\/+$/, '')}/app/billing`;
