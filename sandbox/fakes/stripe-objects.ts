/**
 * Object builders and helpers for the fake Stripe API: shapes follow the API version the stripe v23
 * client pins (2026-10-28.endive), e.g. billing periods live on subscription items, not the subscription.
 */
import { createHmac } from 'node:crypto';
import { randomId, type FakeReply } from './recording-server.js';

export type StripeObject = Record<string, unknown> & { id: string; object: string };

export type StripeState = {
  customers: Map<string, StripeObject>;
  checkoutSessions: Map<string, StripeObject>;
  subscriptions: Map<string, StripeObject>;
  events: Map<string, StripeObject>;
  portalSessions: Map<string, StripeObject>;
};

export const STRIPE_API_VERSION = '2026-10-28.endive';

export const createStripeState = (): StripeState => ({
  customers: new Map(),
  checkoutSessions: new Map(),
  subscriptions: new Map(),
  events: new Map(),
  portalSessions: new Map(),
});

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const stripeId = (prefix: string, length = 24) => `${prefix}_${randomId(length)}`;

export const stripeError = (status: number, type: string, message: string, extra: { code?: string; param?: string } = {}): FakeReply => ({
  status,
  body: { error: { type, message, ...extra, request_log_url: 'https://dashboard.stripe.com/test/logs (fake)' } },
});

export const missingResource = (kind: string, id: string, param = 'id') =>
  stripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });

export const missingParam = (param: string) =>
  stripeError(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param });

/** Form-encoded metadata arrives as an object of strings; an empty string unsets a key. */
export const mergeMetadata = (current: unknown, update: unknown): Record<string, string> => {
  const merged: Record<string, string> = { ...(current as Record<string, string> | undefined) };
  if (update && typeof update === 'object') {
    for (const [key, value] of Object.entries(update as Record<string, unknown>)) {
      if (value === '') delete merged[key];
      else merged[key] = String(value);
    }
  }
  return merged;
};

export const buildCustomer = (params: Record<string, unknown>): StripeObject => ({
  id: stripeId('cus', 14),
  object: 'customer',
  address: null,
  balance: 0,
  created: nowSeconds(),
  currency: null,
  default_source: null,
  delinquent: false,
  description: params.description ?? null,
  email: params.email ?? null,
  invoice_prefix: randomId(8).toUpperCase(),
  invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
  livemode: false,
  metadata: mergeMetadata({}, params.metadata),
  name: params.name ?? null,
  phone: params.phone ?? null,
  preferred_locales: [],
  shipping: null,
  tax_exempt: 'none',
  test_clock: null,
});

export type SubscriptionSpec = {
  id?: string;
  customer: string;
  status?: 'active' | 'trialing' | 'past_due' | 'canceled' | 'unpaid' | 'incomplete';
  priceId?: string;
  metadata?: Record<string, string>;
  /** Unix seconds; default 30 days from now. */
  currentPeriodEnd?: number;
  /** Unix seconds (a trialing subscription). */
  trialEnd?: number;
};

export const buildSubscription = (spec: SubscriptionSpec): StripeObject => {
  const id = spec.id ?? stripeId('sub');
  const start = nowSeconds();
  const end = spec.currentPeriodEnd ?? start + 30 * 24 * 3600;
  const price = {
    id: spec.priceId ?? 'price_fake_monthly',
    object: 'price',
    active: true,
    currency: 'eur',
    product: 'prod_fake',
    recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
    type: 'recurring',
    unit_amount: 4900,
    unit_amount_decimal: '4900',
  };
  return {
    id,
    object: 'subscription',
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    created: start,
    currency: 'eur',
    customer: spec.customer,
    ended_at: null,
    items: {
      object: 'list',
      data: [
        {
          id: stripeId('si', 14),
          object: 'subscription_item',
          created: start,
          current_period_start: start,
          current_period_end: end,
          metadata: {},
          price,
          quantity: 1,
          subscription: id,
        },
      ],
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: { ...spec.metadata },
    start_date: start,
    status: spec.status ?? 'active',
    trial_end: spec.trialEnd ?? null,
  };
};

/** The subscription's latest invoice, as invoice.* events carry it (the subscription under parent.subscription_details). */
export const buildInvoice = (subscription: StripeObject, status: 'paid' | 'open'): StripeObject => ({
  id: stripeId('in'),
  object: 'invoice',
  amount_due: 4900,
  amount_paid: status === 'paid' ? 4900 : 0,
  attempt_count: status === 'paid' ? 1 : 2,
  billing_reason: 'subscription_cycle',
  created: nowSeconds(),
  currency: 'eur',
  customer: subscription.customer,
  livemode: false,
  parent: {
    quote_details: null,
    subscription_details: { metadata: subscription.metadata, subscription: subscription.id },
    type: 'subscription_details',
  },
  status,
});

export const buildEvent = (type: string, object: StripeObject, previousAttributes?: Record<string, unknown>): StripeObject => ({
  id: stripeId('evt'),
  object: 'event',
  api_version: STRIPE_API_VERSION,
  created: nowSeconds(),
  data: { object, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
});

/**
 * The `Stripe-Signature` header value Stripe would send for `payload`:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`. Accepted by `stripe.webhooks.constructEvent`.
 */
export const signStripeWebhook = (payload: string, secret: string, timestamp: number = nowSeconds()): string => {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
};
