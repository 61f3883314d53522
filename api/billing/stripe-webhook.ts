/**
 * POST /webhooks/stripe: verify `Stripe-Signature` on the raw body with STRIPE_WEBHOOK_SECRET, keep the handled
 * event types, take just the ids, and hand them to the business's BillingWorkflow (signalWithStart), which re-reads
 * the subscription from Stripe: event order never matters. Each event id is handed over once; a redelivery is
 * acknowledged and does nothing. 503 (Stripe redelivers) when Temporal cannot take it.
 */
import { Router, type Request } from 'express';
import type Stripe from 'stripe';
import { isHandledStripeEvent, type StripeEventNotice } from '../../domain/billing.js';
import { isStripeSignatureError, verifyStripeEvent } from '../../integrations/stripe.js';
import { signalStripeEvent } from '../../starters/billing.js';
import { AppError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { documentedWebhook } from '../openapi/route.js';
import type { BillingWebhookDeps } from './deps.js';
import { StripeEventBodySchema } from './schemas.js';

type Ids = { subscriptionId?: string; customerId?: string; businessId?: string };
type Obj = Record<string, unknown>;

const idOf = (v: unknown) =>
  typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as Obj).id === 'string' ? ((v as Obj).id as string) : undefined;
const metadataBusiness = (v: unknown) => {
  const id = v && typeof v === 'object' ? (v as Obj).businessId : undefined;
  return typeof id === 'string' ? id : undefined;
};

/** The subscription, customer and business an event is about, wherever its object type keeps them. */
export const idsOfStripeEvent = (event: Stripe.Event): Ids => {
  const o = event.data.object as unknown as Obj;
  const customerId = idOf(o.customer);
  if (o.object === 'subscription') return { subscriptionId: idOf(o.id), customerId, businessId: metadataBusiness(o.metadata) };
  if (o.object === 'checkout.session')
    return {
      subscriptionId: idOf(o.subscription),
      customerId,
      businessId: typeof o.client_reference_id === 'string' ? o.client_reference_id : metadataBusiness(o.metadata),
    };
  if (o.object === 'invoice') {
    // API versions since 2025-03 name the subscription under parent.subscription_details; older ones at the top.
    const details = ((o.parent as Obj | null | undefined)?.subscription_details ?? undefined) as Obj | undefined;
    return { subscriptionId: idOf(details?.subscription ?? o.subscription), customerId, businessId: metadataBusiness(details?.metadata) };
  }
  return { customerId };
};

const disabled = () =>
  new AppError(503, 'integration-disabled', 'Stripe is not configured', 'Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, then restart.');
const badSignature = (detail: string) => new AppError(400, 'bad-signature', 'Webhook signature rejected', detail);

export const stripeWebhookRouter = (deps: BillingWebhookDeps & { metrics?: Metrics }) => {
  const router = Router();
  const { models, log } = deps;
  const count = (outcome: string) => deps.metrics?.webhookEvents.inc({ source: 'stripe', outcome });

  const verify = (raw: Buffer, req: Request): Stripe.Event => {
    const secret = deps.config.STRIPE_WEBHOOK_SECRET;
    if (!secret || !deps.config.STRIPE_SECRET_KEY) throw disabled();
    const signature = req.get('stripe-signature');
    if (!signature) throw badSignature('The Stripe-Signature header is missing.');
    try {
      return verifyStripeEvent(raw, signature, secret);
    } catch (err) {
      if (!isStripeSignatureError(err)) throw err;
      count('bad_signature');
      throw badSignature('Stripe-Signature does not match the body for STRIPE_WEBHOOK_SECRET (or its timestamp is too old).');
    }
  };

  /** Our own record knows the customer; metadata we set at checkout is the fallback (signed by Stripe, so trusted). */
  const businessOf = async (ids: Ids) => {
    if (ids.customerId) {
      const known = await models.BillingAccount.findOne({ stripeCustomerId: ids.customerId }, { _id: 1 }).lean();
      if (known) return known._id;
    }
    return ids.businessId && (await models.Business.exists({ _id: ids.businessId })) ? ids.businessId : undefined;
  };

  documentedWebhook(
    router,
    {
      path: '/webhooks/stripe',
      tags: ['Webhooks'],
      summary: 'Stripe events (subscriptions, invoices, checkout), verified with STRIPE_WEBHOOK_SECRET',
      description: 'Register this URL in the Stripe dashboard with the event types listed in the README (Billing).',
      rawBody: { type: 'application/json', schema: StripeEventBodySchema },
      responses: {
        200: 'Received (also for redeliveries and event types LuxLeads ignores)',
        400: 'Stripe-Signature missing or not matching',
        503: 'Stripe is not configured, or the event could not be stored durably (Stripe redelivers)',
      },
    },
    { limit: '1mb', verify },
    async (_req, res, { verified: event }) => {
      if (!isHandledStripeEvent(event.type)) {
        count('ignored_type');
        res.json({ received: true });
        return;
      }
      if (await models.StripeEvent.exists({ _id: event.id })) {
        count('duplicate');
        res.json({ received: true });
        return;
      }
      const ids = idsOfStripeEvent(event);
      const businessId = await businessOf(ids);
      if (!businessId) {
        // Not ours (another product on the same Stripe account) or a business since erased: nothing to redeliver for.
        log.warn({ eventId: event.id, type: event.type, customerId: ids.customerId }, 'Stripe event for no known business; ignored');
        count('unknown_customer');
        res.json({ received: true });
        return;
      }
      const notice: StripeEventNotice = {
        eventId: event.id,
        type: event.type,
        ...(ids.subscriptionId ? { subscriptionId: ids.subscriptionId } : {}),
        ...(ids.customerId ? { customerId: ids.customerId } : {}),
      };
      // A Temporal outage throws here and the error mapper answers 503: nothing was recorded, so the redelivery is handled.
      await signalStripeEvent(deps.temporal, businessId, notice);
      await models.StripeEvent.updateOne(
        { _id: event.id },
        { $setOnInsert: { type: event.type, businessId, receivedAt: new Date() } },
        { upsert: true },
      );
      count('accepted');
      res.json({ received: true });
    },
  );

  return router;
};
