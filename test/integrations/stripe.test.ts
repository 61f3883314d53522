/**
 * Every Stripe call billing makes, sent by the real `stripe` library (built from config like the worker builds it)
 * to stripe-mock, which checks each request against Stripe's OpenAPI spec: a renamed or misplaced parameter fails
 * here. Also the answers' shapes our code reads (a subscription's period on its items, deleted customers).
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { checkoutSessionParams } from '../../api/billing/checkout.js';
import { ensureStripeCustomer } from '../../api/billing/stripe-customer.js';
import { loadConfig } from '../../config/load.js';
import { connectDb, type Db } from '../../db/connection.js';
import { createStripeClient, isStripeMissing, verifyStripeEvent } from '../../integrations/stripe.js';
import { createLogger } from '../../lib/logger.js';
import { buildActivityDeps } from '../../worker/build-deps.js';
import { testMongoUri } from '../helpers/services.js';
import { startStripeMock, stripeMockBinary, type StripeMock } from '../helpers/stripe-mock.js';

const bin = await stripeMockBinary();
if (!bin) console.warn('stripe-mock is not installed (it is built with Go): the Stripe request-shape tests are skipped');

describe.skipIf(!bin)('Stripe calls against stripe-mock (Stripe’s OpenAPI spec)', () => {
  let mock: StripeMock;
  let db: Db;
  let stripe: Stripe;
  let activities: Activities;
  const businessId = `biz_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    mock = await startStripeMock(bin!);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGODB_URI: testMongoUri('stripe-mock'),
      ENCRYPTION_KEY: `t1:${randomBytes(32).toString('base64')}`,
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_API_URL: mock.url,
      STRIPE_PRICE_STARTER: 'price_starter',
    });
    db = await connectDb(config.MONGODB_URI);
    const deps = buildActivityDeps(config, db, createLogger({ level: 'silent', name: 'stripe-mock' }));
    stripe = deps.billing!.stripe;
    activities = createActivities(deps);
    await db.models.Business.create({ _id: businessId, name: 'Mock Clinic', publishableKey: `pk_${randomBytes(9).toString('hex')}` });
    await db.models.User.create({ _id: `usr_${businessId}`, email: 'owner@mock.example', passwordHash: 'x' });
    await db.models.Membership.create({ _id: `mem_${businessId}`, userId: `usr_${businessId}`, businessId, role: 'owner' });
  });
  afterAll(async () => {
    await db?.connection.dropDatabase().catch(() => undefined);
    await db?.close();
    await mock?.stop();
  });

  it('refuses what Stripe would refuse (the check these tests rely on)', async () => {
    const wrong = {
      ...checkoutSessionParams({
        record: { businessId, plan: 'trial', status: 'active', stripeCustomerId: 'cus_1' },
        plan: 'starter',
        priceId: 'price_1',
        billingPageUrl: 'https://app.example/billing',
        now: Date.now(),
      }),
      plan: 'starter',
    };
    await expect(stripe.checkout.sessions.create(wrong as Stripe.Checkout.SessionCreateParams)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('creates the customer with an idempotency key, then a checkout session that starts after the trial, and a portal session', async () => {
    const record = await ensureStripeCustomer(stripe, db.models, businessId, Date.now());
    expect(record.stripeCustomerId).toMatch(/^cus_/);
    expect((await db.models.BillingAccount.findById(businessId).lean())?.stripeCustomerId).toBe(record.stripeCustomerId);
    expect(record).toMatchObject({ status: 'trialing', plan: 'trial' });

    const params = checkoutSessionParams({
      record,
      plan: 'starter',
      priceId: 'price_starter',
      billingPageUrl: 'https://app.example/app/billing',
      now: Date.now(),
    });
    expect(params.subscription_data?.trial_end).toBeGreaterThan(Date.now() / 1000 + 13 * 86_400);
    const session = await stripe.checkout.sessions.create(params);
    expect(session.url).toMatch(/^https:\/\//);
    const portal = await stripe.billingPortal.sessions.create({
      customer: record.stripeCustomerId,
      return_url: 'https://app.example/app/billing',
    });
    expect(portal.object).toBe('billing_portal.session');
  });

  it('reads a subscription into what the workflow needs (status, period end on the items, customer)', async () => {
    const read = await activities.fetchSubscription({ subscriptionId: 'sub_123' });
    expect(read.found).toBe(true);
    if (!read.found) return;
    expect(read.subscription).toMatchObject({ id: 'sub_123', status: expect.any(String), cancelAtPeriodEnd: expect.any(Boolean) });
    expect(read.subscription.customerId).toMatch(/^cus_/);
    expect(read.subscription.currentPeriodEnd).toEqual(expect.any(Number));
  });

  it('account closure: cancels the subscription and deletes the customer', async () => {
    await db.models.BillingAccount.updateOne(
      { _id: businessId },
      { $set: { stripeSubscriptionId: 'sub_123', status: 'active', plan: 'starter' } },
    );
    const closed = await activities.cancelSubscriptionForClosure({ businessId });
    expect(closed).toMatchObject({ outcome: 'cancelled', counts: { cancelled: 1, customersDeleted: 1 } });
  });

  it('verifies webhook signatures made with the library’s test helper', () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'invoice.paid',
      data: { object: { id: 'in_1', object: 'invoice' } },
    });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_1' });
    expect(verifyStripeEvent(Buffer.from(payload), header, 'whsec_1').type).toBe('invoice.paid');
    expect(() => verifyStripeEvent(Buffer.from(payload), header, 'whsec_2')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('builds the client from STRIPE_API_URL (host, port, protocol) and classifies a 404 as missing', async () => {
    const client = createStripeClient({ secretKey: 'sk_test_123', apiUrl: `${mock.url}/`, maxNetworkRetries: 0 });
    const missing = await client.rawRequest('GET', '/v1/nothing_here').catch((e: unknown) => e);
    expect(isStripeMissing(missing)).toBe(true);
  });
});
