/**
 * A subscription's life with every part real and days skipped: the API and the Stripe webhook (events signed with the
 * library's generateTestHeaderString), the BillingWorkflow and its activities on a time-skipping server, MongoDB, the
 * fake Stripe and the fake Resend, and the reply path reading the billing record.
 */
import Stripe from 'stripe';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe, type StripeObject } from '../../../sandbox/fakes/stripe.js';
import { signUp, type TestAccount } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';

const WEBHOOK_SECRET = 'whsec_lifecycle_0123456789';

describe('billing lifecycle (time skipping)', () => {
  let h: Harness;
  let stripe: FakeStripe;
  let owner: TestAccount;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    h = await startHarness('billing-lifecycle', {
      timeSkipping: true,
      withResend: true,
      env: {
        STRIPE_SECRET_KEY: 'sk_test_lifecycle',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: stripe.url,
        STRIPE_PRICE_GROWTH: 'price_growth_lifecycle',
      },
    });
    owner = await signUp(h.app, { businessName: 'Lifecycle Dental' });
  });
  afterAll(async () => {
    await h?.stop();
    await stripe?.close();
  });

  const deliver = async (event: StripeObject) => {
    const payload = JSON.stringify(event);
    const res = await request(h.app)
      .post('/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }))
      .send(payload);
    expect(res.status).toBe(200);
  };
  const status = (want: string, reason?: string) =>
    eventually(
      async () => {
        const record = await h.models.BillingAccount.findById(owner.businessId).lean();
        return record?.status === want && (reason === undefined || record.reason === reason) ? record : undefined;
      },
      { what: `billing status ${want}` },
    );
  const mailed = (subject: RegExp) =>
    eventually(() => h.resend!.emailsTo(owner.email).find((e) => subject.test(e.subject)), { what: `email ${subject}` });
  /** A new website conversation; resolves once its lead is recorded, with the assistant's messages. */
  const converse = async (contact: string, text: string) => {
    const business = await h.models.Business.findById(owner.businessId).lean();
    const key = { businessId: owner.businessId, channel: 'web' as const, contactId: `ws_${contact}` };
    const handed = await h.dispatcher.inbound(key, business!.publishableKey, { eventId: mid(), kind: 'message', text, at: Date.now() });
    const conversationId = (handed as { workflowId: string }).workflowId;
    await eventually(() => h.models.Lead.exists({ businessId: owner.businessId, conversationIds: conversationId }), { what: 'lead' });
    return conversationId;
  };

  it('trial → paid → failed payment → 7 days of grace → paused (the bot is silent) → resumed on payment', async () => {
    const path = `/api/v1/businesses/${owner.businessId}/billing`;
    expect((await request(h.app).get(path).set(owner.auth)).body).toMatchObject({ status: 'trialing', canReply: true });
    const checkout = await request(h.app).post(`${path}/checkout`).set(owner.auth).send({ plan: 'growth' });
    expect(checkout.status).toBe(201);
    const completed = stripe.completeCheckoutSession([...stripe.state.checkoutSessions.keys()][0]!);
    const subscriptionId = completed.subscription!.id;
    await deliver(completed.event);
    await status('trialing');

    stripe.updateSubscription(subscriptionId, { status: 'active', trial_end: null });
    await deliver(stripe.addInvoiceEvent('invoice.paid', subscriptionId));
    expect(await status('active')).toMatchObject({ plan: 'growth', stripeSubscriptionId: subscriptionId });

    stripe.updateSubscription(subscriptionId, { status: 'past_due' });
    await deliver(stripe.addInvoiceEvent('invoice.payment_failed', subscriptionId));
    await status('past_due');
    await mailed(/^Payment failed/);

    await h.testEnv!.sleep('3 days');
    await mailed(/^Reminder: update your card/);
    expect((await h.models.BillingAccount.findById(owner.businessId).lean())?.status).toBe('past_due');
    await h.testEnv!.sleep('4 days');
    await status('paused', 'payment_failed');
    await mailed(/^LuxLeads is paused/);
    const paused = (await request(h.app).get(path).set(owner.auth)).body;
    expect(paused).toMatchObject({ status: 'paused', canReply: false, reason: 'payment_failed' });

    const unanswered = await converse('while-paused', "Hi, I'm Paula, paula@example.com, can I book a cleaning?");
    expect(await h.models.Message.countDocuments({ conversationId: unanswered, author: 'assistant' })).toBe(0);

    stripe.updateSubscription(subscriptionId, { status: 'active' });
    await deliver(stripe.addInvoiceEvent('invoice.paid', subscriptionId));
    await status('active');
    await mailed(/^LuxLeads is running again/);
    const answered = await converse('after-payment', "Hello, I'm Rui, rui@example.com, are you open on Saturday?");
    await eventually(() => h.models.Message.exists({ conversationId: answered, author: 'assistant' }), { what: 'reply' });
  });
});
