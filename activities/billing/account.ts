/**
 * The BillingWorkflow's I/O: its record in MongoDB (read on every reply, so the workflow writes each change),
 * the subscription as Stripe has it now, and the billing emails to the business's owners.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type Stripe from 'stripe';
import { ensureBillingRecord, loadBillingRecord } from '../../domain/billing-records.js';
import type { BillingRecord, SubscriptionSnapshot } from '../../domain/billing.js';
import { Failure } from '../../domain/failures.js';
import { planOf, planOfSubscription, type StripePrices } from '../../domain/plans.js';
import { isStripeMissing, isStripeRefusal } from '../../integrations/stripe.js';
import type { ActivityDeps } from '../deps.js';
import { createNotificationSender, throwIfRetryable } from '../notifications/send.js';
import { billingPageUrl } from './deps.js';
import { billingEmail, type BillingEmailKind } from '../../domain/emails/index.js';

/** Fields the workflow owns; unset ones are removed. The Stripe customer id is the API's and only ever added. */
const WORKFLOW_FIELDS = [
  'plan',
  'status',
  'reason',
  'trialEndsAt',
  'stripeSubscriptionId',
  'currentPeriodEnd',
  'cancelAtPeriodEnd',
  'pastDueSince',
  'graceEndsAt',
  'serviceUntil',
] as const;
const DATE_FIELDS = new Set(['trialEndsAt', 'currentPeriodEnd', 'pastDueSince', 'graceEndsAt', 'serviceUntil']);

const updateFor = (record: BillingRecord) => {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const field of WORKFLOW_FIELDS) {
    const value = record[field];
    if (value === undefined) $unset[field] = 1;
    else $set[field] = DATE_FIELDS.has(field) ? new Date(value as number) : value;
  }
  if (record.stripeCustomerId) $set.stripeCustomerId = record.stripeCustomerId;
  return { $set, ...(Object.keys($unset).length ? { $unset } : {}) };
};

const snapshotOf = (s: Stripe.Subscription, prices: StripePrices): SubscriptionSnapshot => {
  const item = s.items.data[0];
  const plan = planOfSubscription(prices, item?.price.id, s.metadata?.plan);
  return {
    id: s.id,
    customerId: typeof s.customer === 'string' ? s.customer : s.customer.id,
    status: s.status,
    cancelAtPeriodEnd: s.cancel_at_period_end,
    ...(plan ? { plan } : {}),
    ...(item?.current_period_end ? { currentPeriodEnd: item.current_period_end * 1000 } : {}),
    ...(s.trial_end ? { trialEnd: s.trial_end * 1000 } : {}),
    ...(s.metadata?.businessId ? { businessId: s.metadata.businessId } : {}),
  };
};

export const createBillingAccountActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const sender = createNotificationSender(deps);

  const ownerEmails = async (businessId: string) => {
    const owners = await models.Membership.find({ businessId, role: 'owner' }, { userId: 1 }).lean();
    const users = await models.User.find({ _id: { $in: owners.map((o) => o.userId) } }, { email: 1 }).lean();
    return users.map((u) => u.email).filter((e): e is string => Boolean(e));
  };

  return {
    /** The record as stored, or a new one: a 14-day trial from the business's creation (the local plan without Stripe). */
    async loadBillingAccount(input: { businessId: string; now: number }): Promise<BillingRecord> {
      const record = await ensureBillingRecord(models, { ...input, isStripeConfigured: Boolean(deps.billing) });
      if (!record) throw ApplicationFailure.nonRetryable(`business ${input.businessId} not found`, Failure.NotFound);
      return record;
    },

    async saveBillingAccount(input: { record: BillingRecord }): Promise<void> {
      await models.BillingAccount.updateOne({ _id: input.record.businessId }, updateFor(input.record), { upsert: true });
    },

    /** The subscription as Stripe has it now (never what an event said, which may be stale or out of order). */
    async fetchSubscription(input: {
      subscriptionId: string;
    }): Promise<{ found: true; subscription: SubscriptionSnapshot } | { found: false }> {
      const billing = deps.billing;
      if (!billing) throw ApplicationFailure.nonRetryable('Stripe is not configured (STRIPE_SECRET_KEY)', Failure.BillingNotConfigured);
      try {
        return { found: true, subscription: snapshotOf(await billing.stripe.subscriptions.retrieve(input.subscriptionId), billing.prices) };
      } catch (err) {
        if (isStripeMissing(err)) return { found: false };
        if (isStripeRefusal(err)) throw ApplicationFailure.nonRetryable((err as Error).message, Failure.InvalidInput);
        throw err;
      }
    },

    /** One email per owner; `key` (derived from the workflow's state) makes a retried or repeated send a no-op. */
    async sendBillingEmail(input: {
      businessId: string;
      kind: BillingEmailKind;
      key: string;
      date?: number;
      used?: number;
      limit?: number;
    }) {
      const business = await models.Business.findById(input.businessId, { name: 1 }).lean();
      if (!business) return { sent: 0 };
      const record = await loadBillingRecord(models, input.businessId);
      const body = billingEmail(input.kind, {
        businessName: business.name,
        planName: planOf(record?.plan).name,
        billingUrl: billingPageUrl(deps.billing?.publicUrl ?? sender.notify.publicUrl),
        ...(input.date !== undefined ? { date: new Date(input.date).toISOString() } : {}),
        ...(input.used !== undefined ? { used: input.used } : {}),
        ...(input.limit !== undefined ? { limit: input.limit } : {}),
      });
      const outcomes = await sender.emailEach(
        `billing:${input.businessId}:${input.key}`,
        { businessId: input.businessId, kind: `billing_${input.kind}` },
        await ownerEmails(input.businessId),
        body,
      );
      throwIfRetryable(outcomes);
      return { sent: outcomes.filter((o) => o.status === 'sent').length };
    },
  };
};
