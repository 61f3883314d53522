/**
 * Billing for a business: read the plan, usage and why the assistant is paused (members and platform staff);
 * buy a plan through Stripe Checkout and manage card, invoices and cancellation in the Stripe customer portal
 * (owners). No card data ever reaches this server: both answers are links to Stripe-hosted pages.
 */
import { Router } from 'express';
import { ensureBillingRecord } from '../../domain/billing-records.js';
import { PLANS, stripePricesFrom } from '../../domain/plans.js';
import { stripeClientFrom } from '../../integrations/stripe.js';
import { ensureBillingWorkflow } from '../../starters/billing.js';
import { auditActorOf } from '../auth/actor.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import { writeAudit } from '../../domain/audit.js';
import { AppError, conflict, notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { BusinessParamsSchema } from '../schemas/common.js';
import { checkoutSessionParams } from './checkout.js';
import type { BillingApiDeps } from './deps.js';
import { ensureStripeCustomer } from './stripe-customer.js';
import { billingViewOf } from './view.js';
import { BillingViewSchema, CheckoutBodySchema, SessionUrlSchema } from './schemas.js';

const notConfigured = () =>
  new AppError(
    409,
    'billing-not-configured',
    'Billing is not enabled on this server',
    'Every business here is on the unlimited local plan. Set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_* to charge.',
  );

export const billingRouter = (deps: BillingApiDeps) => {
  const router = Router();
  const { auth, models, config } = deps;
  const stripe = stripeClientFrom(config);
  const prices = stripe ? stripePricesFrom(config) : undefined;
  const billingPage = `${config.PUBLIC_URL.replace(/\/+$/, '')}/app/billing`;
  const path = '/api/v1/businesses/:businessId/billing';

  documentedRoute(
    router,
    {
      method: 'get',
      path,
      tags: ['Billing'],
      summary: 'Plan, status, this month’s usage and limits, trial end, and why the assistant is paused if it is',
      params: BusinessParamsSchema,
      responses: { 200: BillingViewSchema },
    },
    [authenticate(auth), requireBusiness(auth, { allowPlatform: true })],
    async (_req, res, { params }) => {
      const now = Date.now();
      const record = await ensureBillingRecord(models, { businessId: params.businessId, isStripeConfigured: Boolean(stripe), now });
      if (!record) throw notFound('business');
      // Each look makes sure the BillingWorkflow runs (its trial timers and emails); a miss is retried on the next look.
      if (stripe)
        await ensureBillingWorkflow(deps.temporal, params.businessId).catch((err: unknown) =>
          deps.log.warn({ businessId: params.businessId, err: (err as Error).message }, 'billing workflow not started'),
        );
      res.json(await billingViewOf(models, record, prices, now));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${path}/checkout`,
      tags: ['Billing'],
      summary: 'Start buying a plan (owners): answers the URL of a Stripe Checkout page',
      description:
        'During the free trial the subscription starts when the trial ends, so nothing is charged early. Changing the plan of a live subscription is done in the portal.',
      params: BusinessParamsSchema,
      body: CheckoutBodySchema,
      example: { plan: 'growth' },
      responses: { 201: SessionUrlSchema, 409: 'Billing is not configured, the plan has no price, or a subscription is already live' },
    },
    [authenticate(auth), requireBusiness(auth, { minRole: 'owner' })],
    async (req, res, { params, body }) => {
      if (!stripe || !prices) throw notConfigured();
      const priceId = prices[body.plan];
      if (!priceId)
        throw conflict(`The ${PLANS[body.plan].name} plan has no Stripe price on this server (STRIPE_PRICE_${body.plan.toUpperCase()}).`);
      const now = Date.now();
      const record = await ensureStripeCustomer(stripe, models, params.businessId, now);
      if (record.stripeSubscriptionId && record.status !== 'canceled')
        throw conflict('This business already has a subscription: change or renew it in the billing portal (POST …/billing/portal).');
      const session = await stripe.checkout.sessions.create(
        checkoutSessionParams({ record, plan: body.plan, priceId, billingPageUrl: billingPage, now }),
      );
      await writeAudit(models, {
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'billing.checkout_started',
        details: { plan: body.plan },
      });
      res.status(201).json({ url: session.url });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${path}/portal`,
      tags: ['Billing'],
      summary: 'Open the Stripe customer portal (owners): invoices, payment method, plan changes, cancellation',
      params: BusinessParamsSchema,
      responses: { 201: SessionUrlSchema, 409: 'Billing is not configured on this server' },
    },
    [authenticate(auth), requireBusiness(auth, { minRole: 'owner' })],
    async (req, res, { params }) => {
      if (!stripe) throw notConfigured();
      const record = await ensureStripeCustomer(stripe, models, params.businessId, Date.now());
      const session = await stripe.billingPortal.sessions.create({ customer: record.stripeCustomerId, return_url: billingPage });
      await writeAudit(models, { ...auditActorOf(req), businessId: params.businessId, action: 'billing.portal_opened' });
      res.status(201).json({ url: session.url });
    },
  );

  return router;
};
