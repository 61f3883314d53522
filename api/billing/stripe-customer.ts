/**
 * The business's Stripe customer, created once: the idempotency key `customer:<businessId>` makes concurrent or
 * retried creations within Stripe's 24 hours return the same customer, and the stored id covers every call after.
 */
import type Stripe from 'stripe';
import type { Models } from '../../db/models/index.js';
import { ensureBillingRecord } from '../../domain/billing-records.js';
import type { BillingRecord } from '../../domain/billing.js';
import { notFound } from '../errors.js';

/** The first owner's address: the same parameters on every attempt, as an idempotent request needs. */
const firstOwnerEmail = async (models: Models, businessId: string) => {
  const owner = await models.Membership.findOne({ businessId, role: 'owner' }, { userId: 1 }).sort({ _id: 1 }).lean();
  const user = owner ? await models.User.findById(owner.userId, { email: 1 }).lean() : null;
  return user?.email ?? undefined;
};

export const ensureStripeCustomer = async (
  stripe: Stripe,
  models: Models,
  businessId: string,
  now: number,
): Promise<BillingRecord & { stripeCustomerId: string }> => {
  const record = await ensureBillingRecord(models, { businessId, isStripeConfigured: true, now });
  if (!record) throw notFound('business');
  if (record.stripeCustomerId) return record as BillingRecord & { stripeCustomerId: string };
  const business = await models.Business.findById(businessId, { name: 1 }).lean();
  const email = await firstOwnerEmail(models, businessId);
  const customer = await stripe.customers.create(
    { name: business?.name ?? businessId, ...(email ? { email } : {}), metadata: { businessId } },
    { idempotencyKey: `customer:${businessId}` },
  );
  // Whoever stored an id first wins; a second customer (only possible after Stripe forgot the key) stays unused.
  await models.BillingAccount.updateOne(
    { _id: businessId, stripeCustomerId: { $exists: false } },
    { $set: { stripeCustomerId: customer.id } },
  );
  const stored = await models.BillingAccount.findById(businessId, { stripeCustomerId: 1 }).lean();
  return { ...record, stripeCustomerId: stored?.stripeCustomerId ?? customer.id };
};
