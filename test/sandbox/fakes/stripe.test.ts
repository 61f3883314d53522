import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { signStripeWebhook, startFakeStripe, type FakeStripe } from '../../../sandbox/fakes/stripe.js';

const WEBHOOK_SECRET = 'whsec_test_secret';

describe('fake Stripe with the real stripe v23 client', () => {
  let fake: FakeStripe;
  let stripe: Stripe;

  beforeAll(async () => {
    fake = await startFakeStripe({ apiKey: 'sk_test_fake' });
    stripe = new Stripe('sk_test_fake', { ...fake.clientOptions(), maxNetworkRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('creates and retrieves customers (form-encoded, Bearer key)', async () => {
    const customer = await stripe.customers.create({ email: 'owner@villas.example', name: 'Lux Villas', metadata: { accountId: 'acc_1' } });
    expect(customer).toMatchObject({
      id: expect.stringMatching(/^cus_/),
      object: 'customer',
      email: 'owner@villas.example',
      metadata: { accountId: 'acc_1' },
    });
    const call = fake.calls[0]!;
    expect(call.headers['content-type']).toMatch(/x-www-form-urlencoded/);
    expect(call.headers.authorization).toBe('Bearer sk_test_fake');
    expect(call.body).toEqual({ email: 'owner@villas.example', name: 'Lux Villas', metadata: { accountId: 'acc_1' } });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, email: 'owner@villas.example' });
  });

  it('raises StripeInvalidRequestError for missing objects', async () => {
    const error = await stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_nope'" });
  });

  it('creates a checkout session with a URL and completes it into a subscription + signed event', async () => {
    const customer = await stripe.customers.create({ email: 'owner@villas.example' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: 'price_pro_monthly', quantity: 1 }],
      success_url: 'http://127.0.0.1:3000/billing/success',
      cancel_url: 'http://127.0.0.1:3000/billing/cancel',
      client_reference_id: 'acc_1',
      subscription_data: { metadata: { accountId: 'acc_1' } },
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_/),
    });
    expect(session).not.toHaveProperty('_fake');
    expect(fake.calls[1]!.body).toMatchObject({ line_items: [{ price: 'price_pro_monthly', quantity: '1' }] });

    const { event, subscription, payload } = fake.completeCheckoutSession(session.id);
    expect(subscription).toMatchObject({ customer: customer.id, status: 'active', metadata: { accountId: 'acc_1' } });
    const header = signStripeWebhook(payload, WEBHOOK_SECRET);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const verified = stripe.webhooks.constructEvent(payload, header, WEBHOOK_SECRET);
    expect(verified).toMatchObject({
      id: event.id,
      type: 'checkout.session.completed',
      data: { object: { id: session.id, subscription: subscription!.id, client_reference_id: 'acc_1' } },
    });
    expect(() => stripe.webhooks.constructEvent(payload, signStripeWebhook(payload, 'whsec_other'), WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    const old = signStripeWebhook(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600);
    expect(() => stripe.webhooks.constructEvent(payload, old, WEBHOOK_SECRET)).toThrow(/Timestamp outside the tolerance zone/);

    expect(await stripe.events.retrieve(event.id)).toMatchObject({ id: event.id, type: 'checkout.session.completed' });
    const retrieved = await stripe.subscriptions.retrieve(subscription!.id);
    expect(retrieved.items.data[0]).toMatchObject({ price: { id: 'price_pro_monthly' }, current_period_end: expect.any(Number) });
  });

  it('requires mode and line_items for checkout', async () => {
    await expect(
      stripe.checkout.sessions.create({ line_items: [{ price: 'p', quantity: 1 }] } as Stripe.Checkout.SessionCreateParams),
    ).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'mode',
    });
  });

  it('cancels subscriptions with DELETE and records a deletion event', async () => {
    const customer = fake.addCustomer({ email: 'x@y.z' });
    const sub = fake.addSubscription({ customer: customer.id, priceId: 'price_basic' });
    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled).toMatchObject({ id: sub.id, status: 'canceled', canceled_at: expect.any(Number) });
    expect(fake.callsTo('DELETE', /^\/v1\/subscriptions\//)).toHaveLength(1);
    expect([...fake.state.events.values()].map((e) => e.type)).toContain('customer.subscription.deleted');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled');
  });

  it('deletes customers (their subscriptions are canceled), then reads them as deleted', async () => {
    const customer = fake.addCustomer({ email: 'gone@y.z' });
    const sub = fake.addSubscription({ customer: customer.id });
    expect(await stripe.customers.del(customer.id)).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expect(fake.state.subscriptions.get(sub.id)?.status).toBe('canceled');
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    await expect(stripe.customers.del(customer.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('changes subscriptions as Stripe would and stores the events a webhook carries', async () => {
    const sub = fake.addSubscription({ customer: fake.addCustomer().id, metadata: { businessId: 'biz_1' } });
    const updated = fake.updateSubscription(sub.id, { status: 'past_due' });
    expect(updated).toMatchObject({ type: 'customer.subscription.updated', data: { object: { id: sub.id, status: 'past_due' } } });
    const failed = fake.addInvoiceEvent('invoice.payment_failed', sub.id);
    expect(failed).toMatchObject({
      type: 'invoice.payment_failed',
      data: { object: { object: 'invoice', status: 'open', parent: { subscription_details: { subscription: sub.id } } } },
    });
    expect((await stripe.events.retrieve(failed.id)).type).toBe('invoice.payment_failed');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
  });

  it('completes a checkout with a trial as a trialing subscription', async () => {
    const customer = fake.addCustomer();
    const trialEnd = Math.floor(Date.now() / 1000) + 10 * 86_400;
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: 'price_growth', quantity: 1 }],
      subscription_data: { trial_end: trialEnd },
      success_url: 'http://127.0.0.1:3000/ok',
    });
    const { subscription } = fake.completeCheckoutSession(session.id);
    expect(subscription).toMatchObject({ status: 'trialing', trial_end: trialEnd });
  });

  it('creates billing portal sessions for existing customers', async () => {
    const customer = fake.addCustomer();
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://127.0.0.1:3000/settings' });
    expect(portal).toMatchObject({
      object: 'billing_portal.session',
      customer: customer.id,
      url: expect.stringContaining('/p/session/bps_'),
    });
    await expect(stripe.billingPortal.sessions.create({ customer: 'cus_missing' })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('honours Idempotency-Key: replay returns the same object, other params are refused', async () => {
    const first = await stripe.customers.create({ email: 'a@b.c' }, { idempotencyKey: 'signup-acc_1' });
    const again = await stripe.customers.create({ email: 'a@b.c' }, { idempotencyKey: 'signup-acc_1' });
    expect(again.id).toBe(first.id);
    expect(fake.state.customers.size).toBeGreaterThanOrEqual(1);
    expect([...fake.state.customers.values()].filter((c) => c.email === 'a@b.c')).toHaveLength(1);
    await expect(stripe.customers.create({ email: 'other@b.c' }, { idempotencyKey: 'signup-acc_1' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('lets the client retry an injected 500 with the same auto-generated Idempotency-Key', async () => {
    const retrying = new Stripe('sk_test_fake', { ...fake.clientOptions(), maxNetworkRetries: 1 });
    fake.failNext({ method: 'POST', path: /^\/v1\/customers$/, status: 500 });
    const customer = await retrying.customers.create({ email: 'retry@b.c' });
    const attempts = fake.callsTo('POST', /^\/v1\/customers$/);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.headers['idempotency-key']).toMatch(/^stripe-node-retry-/);
    expect(attempts[1]!.headers['idempotency-key']).toBe(attempts[0]!.headers['idempotency-key']);
    expect(customer.email).toBe('retry@b.c');
  });

  it('surfaces injected failures without retries as StripeAPIError', async () => {
    fake.failNext({ status: 500 });
    await expect(stripe.customers.create({ email: 'x@y.z' })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
  });

  it('rejects a wrong secret key', async () => {
    const wrong = new Stripe('sk_test_wrong', { ...fake.clientOptions(), maxNetworkRetries: 0 });
    await expect(wrong.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });
});
