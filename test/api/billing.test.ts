/**
 * Billing through the API with real parts: the real `stripe` library against the sandbox's fake Stripe (stateful:
 * customers, checkout, subscriptions, events), webhooks signed with the library's generateTestHeaderString, the
 * BillingWorkflow on a worker, the reply path's limit check, and account closure deleting the Stripe customer.
 */
import Stripe from 'stripe';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingHandoverText } from '../../activities/billing/reply-gate.js';
import { usageCounterId } from '../../domain/billing-records.js';
import { billingWorkflowId, usagePeriodOf } from '../../domain/billing.js';
import { PLANS } from '../../domain/plans.js';
import { startFakeStripe, type FakeStripe, type StripeObject } from '../../sandbox/fakes/stripe.js';
import { bearer, grantAccess, signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, workflowExists, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';
import { DAY_MS } from '../../lib/durations.js';

const WEBHOOK_SECRET = 'whsec_test_billing_0123456789';
const PRICES = { starter: 'price_starter_test', growth: 'price_growth_test' };

let h: Harness;
let stripe: FakeStripe;
let owner: TestAccount;

beforeAll(async () => {
  stripe = await startFakeStripe({ apiKey: 'sk_test_billing' });
  h = await startHarness('billing-api', {
    withResend: true,
    env: {
      STRIPE_SECRET_KEY: 'sk_test_billing',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICE_STARTER: PRICES.starter,
      STRIPE_PRICE_GROWTH: PRICES.growth,
    },
  });
  owner = await signUp(h.app, { businessName: 'Billing Clinic' });
});
afterAll(async () => {
  await h?.stop();
  await stripe?.close();
});

const billingOf = (account: TestAccount, businessId = account.businessId) =>
  request(h.app).get(`/api/v1/businesses/${businessId}/billing`).set(account.auth);

/** Posts `event` to the webhook as Stripe would: the exact JSON bytes, signed by the library's test helper. */
const deliver = (event: StripeObject, secret = WEBHOOK_SECRET) => {
  const payload = JSON.stringify(event);
  return request(h.app)
    .post('/webhooks/stripe')
    .set('content-type', 'application/json')
    .set('stripe-signature', Stripe.webhooks.generateTestHeaderString({ payload, secret }))
    .send(payload);
};

const recordOf = (businessId: string) => h.models.BillingAccount.findById(businessId).lean();

describe('billing routes', () => {
  it('a new business is on the 14-day trial; the first look starts its BillingWorkflow', async () => {
    const res = await billingOf(owner);
    expect(res.status).toBe(200);
    const business = await h.models.Business.findById(owner.businessId).lean();
    expect(res.body).toMatchObject({
      plan: { id: 'trial', limits: PLANS.growth.limits },
      status: 'trialing',
      canReply: true,
      reason: null,
      trialEndsAt: new Date(business!.createdAt!.getTime() + 14 * DAY_MS).toISOString(),
      usage: { period: usagePeriodOf(Date.now()), conversations: 0, channels: 0, seats: 1 },
      isStripeConfigured: true,
      hasPortal: false,
    });
    expect(res.body.plans.map((p: { id: string; canBuy: boolean }) => [p.id, p.canBuy])).toEqual([
      ['starter', true],
      ['growth', true],
      ['pro', false],
    ]);
    await eventually(() => workflowExists(h.client, billingWorkflowId(owner.businessId)), { what: 'billing workflow' });
  });

  it('sign-up starts the new business BillingWorkflow at once, before anyone looks at billing', async () => {
    const fresh = await signUp(h.app, { businessName: 'Billing Clinic Signed Up' });
    await eventually(() => workflowExists(h.client, billingWorkflowId(fresh.businessId)), { what: 'billing workflow after sign-up' });
  });

  it('checkout and portal are for owners; members may read the billing view', async () => {
    const member = await grantAccess(h.models, await signUp(h.app, { businessName: 'Elsewhere' }), owner.businessId, 'member');
    expect((await billingOf(member)).status).toBe(200);
    const path = `/api/v1/businesses/${owner.businessId}/billing`;
    expect((await request(h.app).post(`${path}/checkout`).set(member.auth).send({ plan: 'starter' })).status).toBe(403);
    expect((await request(h.app).post(`${path}/portal`).set(member.auth).send({})).status).toBe(403);
    const key = (await request(h.app).post(`/api/v1/businesses/${owner.businessId}/api-keys`).set(owner.auth).send({ name: 'k' })).body.key;
    expect((await request(h.app).post(`${path}/checkout`).set(bearer(key)).send({ plan: 'starter' })).status).toBe(403);
    expect(stripe.callsTo('POST', /^\/v1\/customers$/)).toHaveLength(0);
  });

  it('checkout creates the Stripe customer once and a subscription session that starts when the trial ends', async () => {
    const path = `/api/v1/businesses/${owner.businessId}/billing`;
    const first = await request(h.app).post(`${path}/checkout`).set(owner.auth).send({ plan: 'starter' });
    expect(first.status).toBe(201);
    expect(first.body.url).toMatch(/\/c\/pay\/cs_test_/);
    const again = await request(h.app).post(`${path}/checkout`).set(owner.auth).send({ plan: 'growth' });
    expect(again.status).toBe(201);

    const customers = stripe.callsTo('POST', /^\/v1\/customers$/);
    expect(customers).toHaveLength(1);
    expect(customers[0]!.headers['idempotency-key']).toBe(`customer:${owner.businessId}`);
    expect(customers[0]!.body).toMatchObject({ email: owner.email, name: 'Billing Clinic', metadata: { businessId: owner.businessId } });
    const record = await recordOf(owner.businessId);
    expect(record?.stripeCustomerId).toBe(stripe.state.customers.values().next().value!.id);

    const sessions = stripe.callsTo('POST', /^\/v1\/checkout\/sessions$/);
    expect(sessions.map((c) => (c.body as { line_items: { price: string }[] }).line_items[0]!.price)).toEqual([
      PRICES.starter,
      PRICES.growth,
    ]);
    expect(sessions[0]!.body).toMatchObject({
      mode: 'subscription',
      customer: record!.stripeCustomerId,
      client_reference_id: owner.businessId,
      subscription_data: {
        metadata: { businessId: owner.businessId, plan: 'starter' },
        trial_end: String(Math.floor(record!.trialEndsAt!.getTime() / 1000)),
      },
    });

    expect((await request(h.app).post(`${path}/checkout`).set(owner.auth).send({ plan: 'pro' })).status).toBe(409);
    expect((await request(h.app).post(`${path}/checkout`).set(owner.auth).send({ plan: 'gold' })).status).toBe(400);
    const portal = await request(h.app).post(`${path}/portal`).set(owner.auth).send({});
    expect(portal.status).toBe(201);
    expect(portal.body.url).toMatch(/\/p\/session\/bps_/);
    expect(stripe.callsTo('POST', /^\/v1\/billing_portal\/sessions$/)[0]!.body).toMatchObject({ customer: record!.stripeCustomerId });
    expect(stripe.callsTo('POST', /^\/v1\/customers$/)).toHaveLength(1);
    expect((await billingOf(owner)).body.hasPortal).toBe(true);
  });
});

describe('POST /webhooks/stripe', () => {
  it('refuses a missing or wrong signature, and acknowledges event types it does not handle', async () => {
    const event = stripe.addEvent('invoice.paid', { id: 'in_x', object: 'invoice', customer: 'cus_x' });
    const payload = JSON.stringify(event);
    const unsigned = await request(h.app).post('/webhooks/stripe').set('content-type', 'application/json').send(payload);
    expect(unsigned.status).toBe(400);
    expect((await deliver(event, 'whsec_someone_else')).status).toBe(400);
    // Signed, then changed on the way: the signature covers the exact bytes.
    const tampered = await request(h.app)
      .post('/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }))
      .send(payload.replace('cus_x', 'cus_y'));
    expect(tampered.status).toBe(400);
    expect((await deliver(stripe.addEvent('customer.created', { id: 'cus_z', object: 'customer' }))).status).toBe(200);
    expect(await h.models.StripeEvent.countDocuments()).toBe(0);
  });

  it('trial → paid: each event once, the subscription re-read from Stripe whatever the order', async () => {
    const session = [...stripe.state.checkoutSessions.values()][0]!;
    const completed = stripe.completeCheckoutSession(session.id);
    const subscriptionId = completed.subscription!.id;
    expect((await deliver(completed.event)).status).toBe(200);
    await eventually(async () => (await recordOf(owner.businessId))?.stripeSubscriptionId === subscriptionId, {
      what: 'subscription adopted',
    });
    expect(await recordOf(owner.businessId)).toMatchObject({ status: 'trialing', plan: 'starter' });

    // Redelivered: acknowledged, handed to nobody.
    const reads = () => stripe.callsTo('GET', new RegExp(`/v1/subscriptions/${subscriptionId}$`)).length;
    const readsBefore = reads();
    expect((await deliver(completed.event)).status).toBe(200);
    expect(await h.models.StripeEvent.countDocuments({ _id: completed.event.id })).toBe(1);

    // The trial ends and the first invoice is paid; the stale "trialing" update arrives last.
    const staleUpdate = stripe.updateSubscription(subscriptionId, { status: 'trialing' });
    stripe.updateSubscription(subscriptionId, { status: 'active', trial_end: null });
    expect((await deliver(stripe.addInvoiceEvent('invoice.paid', subscriptionId))).status).toBe(200);
    await eventually(async () => (await recordOf(owner.businessId))?.status === 'active', { what: 'active' });
    expect((await deliver(staleUpdate)).status).toBe(200);
    await eventually(() => reads() >= readsBefore + 2, { what: 'stale event re-read' });
    const view = (await billingOf(owner)).body;
    expect(view).toMatchObject({ status: 'active', plan: { id: 'starter' }, canReply: true, trialEndsAt: null });

    // A live subscription is changed in the portal, not bought twice.
    const again = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/billing/checkout`)
      .set(owner.auth)
      .send({ plan: 'growth' });
    expect(again.status).toBe(409);
  });

  it('a failed payment starts the grace period and tells the owner; paying ends it', async () => {
    const subscriptionId = (await recordOf(owner.businessId))!.stripeSubscriptionId!;
    stripe.updateSubscription(subscriptionId, { status: 'past_due' });
    expect((await deliver(stripe.addInvoiceEvent('invoice.payment_failed', subscriptionId))).status).toBe(200);
    await eventually(async () => (await recordOf(owner.businessId))?.status === 'past_due', { what: 'past due' });
    const view = (await billingOf(owner)).body;
    expect(view.canReply).toBe(true);
    expect(Date.parse(view.graceEndsAt) - Date.now()).toBeGreaterThan(6.9 * DAY_MS);
    const mail = await eventually(() => h.resend!.emailsTo(owner.email).find((e) => /Payment failed/.test(e.subject)), { what: 'email' });
    expect(mail.text).toContain('/app/billing');

    stripe.updateSubscription(subscriptionId, { status: 'active' });
    expect((await deliver(stripe.addInvoiceEvent('invoice.paid', subscriptionId))).status).toBe(200);
    await eventually(async () => (await recordOf(owner.businessId))?.status === 'active', { what: 'active again' });
    expect((await recordOf(owner.businessId))?.graceEndsAt).toBeUndefined();
  });

  it('acknowledges events for customers it does not know, and hands them to nobody', async () => {
    const before = await h.models.StripeEvent.countDocuments();
    const stranger = stripe.addSubscription({ customer: stripe.addCustomer().id });
    expect((await deliver(stripe.addEvent('customer.subscription.updated', stranger))).status).toBe(200);
    expect(await h.models.StripeEvent.countDocuments()).toBe(before);
  });
});

describe('the reply path', () => {
  /** A web conversation's first message; resolves with its assistant messages once the workflow has handled it. */
  const converse = async (businessId: string, contact: string, text: string) => {
    const business = await h.models.Business.findById(businessId).lean();
    const key = { businessId, channel: 'web' as const, contactId: `ws_${contact}` };
    const { workflowId } = (await h.dispatcher.inbound(key, business!.publishableKey, {
      eventId: mid(),
      kind: 'message',
      text,
      at: Date.now(),
    })) as {
      workflowId: string;
    };
    await eventually(() => h.models.Lead.exists({ businessId, conversationIds: workflowId }), { what: `lead of ${contact}` });
    return workflowId;
  };
  const assistantTexts = (conversationId: string) =>
    eventually(async () => {
      const texts = (await h.models.Message.find({ conversationId, author: 'assistant' }).lean()).map((m) => m.text);
      return texts.length ? texts : undefined;
    });

  it('at the monthly limit: the last conversation is answered and the owner told; the next one gets a handover', async () => {
    const shop = await signUp(h.app, { businessName: 'Busy Shop' });
    // The first look starts the trial (Growth's limits) and the BillingWorkflow that mails the owner.
    expect((await billingOf(shop)).body.plan.id).toBe('trial');
    const limit = PLANS.trial.limits.conversationsPerMonth!;
    const period = usagePeriodOf(Date.now());
    const counterId = usageCounterId(shop.businessId, period);
    await h.models.BillingUsage.create({ _id: counterId, businessId: shop.businessId, period, conversations: limit - 1 });
    const handover = billingHandoverText({ name: 'Busy Shop', language: 'en' });

    const last = await converse(shop.businessId, 'last-in', "Hi, I'm Lara, lara@example.com, do you open on Sundays?");
    expect((await assistantTexts(last))[0]).not.toBe(handover);
    expect((await h.models.BillingUsage.findById(counterId).lean())?.conversations).toBe(limit);
    const used = await eventually(() => h.resend!.emailsTo(shop.email).find((e) => /all your LuxLeads conversations/.test(e.subject)), {
      what: '100% email',
    });
    expect(used.text).toContain(`all ${limit} conversations`);

    const over = await converse(shop.businessId, 'over', "Hello, I'm Omar, omar@example.com, I need a quote");
    expect(await assistantTexts(over)).toEqual([handover]);
    expect((await h.models.BillingUsage.findById(counterId).lean())?.conversations).toBe(limit);
    expect(await h.models.BillingUsageMark.countDocuments({ businessId: shop.businessId })).toBe(1);
    // The owner gets the lead as someone who wants a person, and the bot steps back for the team.
    await eventually(() => h.models.LeadEvent.exists({ businessId: shop.businessId, kind: 'human_requested' }), { what: 'handover event' });
    await eventually(async () => (await h.models.Conversation.findById(over).lean())?.mode === 'paused', { what: 'thread paused' });
    expect((await billingOf(shop)).body.usage.conversations).toBe(limit);
  });

  it('a paused account stays silent but keeps the lead; the owner sees why', async () => {
    const lapsed = await signUp(h.app, { businessName: 'Lapsed Salon' });
    await h.models.BillingAccount.create({ _id: lapsed.businessId, plan: 'starter', status: 'paused', reason: 'payment_failed' });
    const conversationId = await converse(lapsed.businessId, 'silent', "Hi, I'm Pia, pia@example.com, can I book a cut?");
    expect(await h.models.Lead.findOne({ businessId: lapsed.businessId, email: 'pia@example.com' }).lean()).not.toBeNull();
    expect(await h.models.Message.countDocuments({ conversationId, author: 'assistant' })).toBe(0);
    const view = (await billingOf(lapsed)).body;
    expect(view).toMatchObject({ status: 'paused', canReply: false, reason: 'payment_failed' });
  });
});

describe('account closure', () => {
  it('cancels the subscription and deletes the Stripe customer', async () => {
    const record = (await recordOf(owner.businessId))!;
    const res = await request(h.app).post(`/api/v1/businesses/${owner.businessId}/close`).set(owner.auth).send({ confirm: true });
    expect(res.status).toBe(202);
    await eventually(() => stripe.state.customers.get(record.stripeCustomerId!)?.deleted === true, { what: 'customer deleted' });
    expect(stripe.state.subscriptions.get(record.stripeSubscriptionId!)?.status).toBe('canceled');
    // The audit entry is written after the Stripe calls return: wait for it rather than racing the activity.
    const audit = await eventually(
      () => h.models.AuditEntry.findOne({ businessId: owner.businessId, action: 'account_closure.cancel_billing' }).lean(),
      { what: 'closure billing audit entry' },
    );
    expect(audit).toMatchObject({
      details: { outcome: 'cancelled', customerDeleted: true },
    });
  });
});
