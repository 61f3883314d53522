import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptString } from '../../../lib/crypto.js';
import { accountClosureStatusQuery, accountClosureWorkflowId, type AccountClosureResult } from '../../../workflows/account-closure.js';
import { startFakeStripe, type FakeStripe } from '../../../sandbox/fakes/stripe.js';
import { signUp, type TestAccount } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';
import { channelTokenContext } from '../../../domain/encryption-contexts.js';

describe('account closure by default: nothing outlives the active account', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('account-closure-now', { timeSkipping: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('erases the leads at once when the account closes (no grace period unless one is configured)', async () => {
    expect(h.config.ACCOUNT_CLOSURE_GRACE_DAYS).toBe(0);
    const owner = await signUp(h.app, { businessName: 'Closing Now Clinic' });
    await h.models.Lead.create({
      _id: `lead_now_${owner.businessId}`,
      businessId: owner.businessId,
      channel: 'web',
      email: 'nina@example.com',
    });
    const res = await request(h.app).post(`/api/v1/businesses/${owner.businessId}/close`).set(owner.auth).send({ confirm: true });
    expect(res.status).toBe(202);
    expect(Date.parse(res.body.purgeAfter)).toBeLessThanOrEqual(Date.now());
    const result: AccountClosureResult = await h.client.workflow.getHandle(accountClosureWorkflowId(owner.businessId)).result();
    expect(result.counts).toMatchObject({ leads: 1, users: 1 });
    expect(await h.models.Lead.countDocuments({ businessId: owner.businessId })).toBe(0);
  });
});

describe('account closure with a grace period (time skipping)', () => {
  let h: Harness;
  let owner: TestAccount;
  let stripe: FakeStripe;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    h = await startHarness('account-closure', {
      timeSkipping: true,
      env: { STRIPE_SECRET_KEY: 'sk_test_closure', STRIPE_API_URL: stripe.url, ACCOUNT_CLOSURE_GRACE_DAYS: '30' },
    });
    owner = await signUp(h.app, { businessName: 'Closing Clinic' });
  });
  afterAll(async () => {
    await h?.stop();
    await stripe?.close();
  });

  it('disconnects at once and erases every record of the business after the configured grace period', async () => {
    const businessId = owner.businessId;
    h.graph.addPage({ id: '200000000000009', name: 'Closing Clinic', token: 'closing-page-token' });
    await h.models.Channel.create({
      _id: 'ch_closing',
      businessId,
      kind: 'messenger',
      externalId: '200000000000009',
      pageId: '200000000000009',
      status: 'connected',
      connectedByAsid: 'asid-closing',
      tokenSealed: encryptString(h.config.ENCRYPTION_KEY, 'closing-page-token', channelTokenContext('ch_closing')),
    });
    const business = await h.models.Business.findById(businessId).lean();
    // Billing is not in the Business schema yet; the closure reads the raw field when it is there.
    const subscription = stripe.addSubscription({ customer: stripe.addCustomer({ email: owner.email }).id as string });
    await h.db.connection
      .collection('businesses')
      .updateOne({ _id: businessId as never }, { $set: { stripeSubscriptionId: subscription.id } });
    const key = { businessId, channel: 'web' as const, contactId: 'ws_closing-visitor' };
    await h.dispatcher.inbound(key, business!.publishableKey, {
      eventId: mid(),
      kind: 'message',
      text: "Hi, I'm Carla, carla@example.com",
      at: Date.now(),
    });
    await eventually(() => h.models.Lead.findOne({ businessId, email: 'carla@example.com' }).lean(), { what: 'lead captured' });
    expect((await request(h.app).post(`/api/v1/businesses/${businessId}/api-keys`).set(owner.auth).send({ name: 'CRM' })).status).toBe(201);
    // What notifications and CRM webhooks leave behind, and two more people: one only here, one also elsewhere.
    await h.models.Notification.create({
      _id: `closing-note:${businessId}`,
      businessId,
      kind: 'lead_created',
      channel: 'email',
      target: owner.email,
      status: 'sent',
    });
    await h.models.LeadWebhook.create({ _id: `wh_${businessId}`, businessId, url: 'https://crm.example/hook', secretSealed: 'sealed' });
    await h.models.WebhookDelivery.create({
      _id: `whd_${businessId}`,
      businessId,
      endpointId: `wh_${businessId}`,
      eventId: 'ev_1',
      type: 'lead.created',
      workflowId: 'wf_1',
      attempt: 1,
      at: new Date(),
    });
    const soleMember = { _id: `usr_sole_${businessId}`, email: `sole-${businessId}@example.com`, passwordHash: 'x' };
    await h.models.User.create(soleMember);
    await h.models.Membership.create({ _id: `mem_sole_${businessId}`, userId: soleMember._id, businessId, role: 'member' });
    await h.models.Session.create({
      _id: `ses_sole_${businessId}`,
      sessionId: 'ses_sole',
      userId: soleMember._id,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const elsewhere = await signUp(h.app, { businessName: 'Staying Clinic' });
    await h.models.Membership.create({ _id: `mem_elsewhere_${businessId}`, userId: elsewhere.userId, businessId, role: 'member' });

    expect((await request(h.app).post(`/api/v1/businesses/${businessId}/close`).set(owner.auth).send({})).status).toBe(400);
    const res = await request(h.app).post(`/api/v1/businesses/${businessId}/close`).set(owner.auth).send({ confirm: true });
    expect(res.status).toBe(202);
    const handle = h.client.workflow.getHandle(accountClosureWorkflowId(businessId));
    await eventually(async () => (await handle.query(accountClosureStatusQuery)).steps.includes('cancel_billing'), {
      what: 'immediate steps done',
    });
    expect((await h.models.Business.findById(businessId).lean())?.status).toBe('closing');
    const channel = await h.models.Channel.findById('ch_closing').lean();
    expect(channel).toMatchObject({ status: 'disconnected', statusReason: 'account_closed' });
    expect(channel?.tokenSealed).toBeUndefined();
    expect(h.graph.callsTo('DELETE', /subscribed_apps/)).toHaveLength(1);
    expect(await h.models.AuditEntry.findOne({ businessId, action: 'account_closure.cancel_billing' }).lean()).toMatchObject({
      details: { outcome: 'cancelled' },
    });
    expect(stripe.state.subscriptions.get(subscription.id as string)?.status).toBe('canceled');

    await h.testEnv!.sleep('29 days');
    expect(await h.models.Lead.countDocuments({ businessId })).toBe(1);

    await h.testEnv!.sleep('2 days');
    const result: AccountClosureResult = await handle.result();
    expect(result.status).toBe('closed');
    expect(result.counts).toMatchObject({
      conversations: 1,
      leads: 1,
      channels: 1,
      apiKeys: 1,
      memberships: 3,
      users: 2,
      leadWebhooks: 1,
      webhookDeliveries: 1,
    });
    for (const model of [
      h.models.Lead,
      h.models.Conversation,
      h.models.Message,
      h.models.LeadEvent,
      h.models.Channel,
      h.models.ApiKey,
      h.models.Membership,
      h.models.Notification,
      h.models.LeadWebhook,
      h.models.WebhookDelivery,
    ] as const) {
      expect(await (model as typeof h.models.Lead).countDocuments({ businessId })).toBe(0);
    }
    // The owner and the member who belonged only here are gone with their sessions; the one with another business stays.
    expect(await h.models.User.countDocuments({ _id: { $in: [owner.userId, soleMember._id] } })).toBe(0);
    expect(await h.models.Session.countDocuments({ userId: { $in: [owner.userId, soleMember._id] } })).toBe(0);
    expect(await h.models.User.countDocuments({ _id: elsewhere.userId })).toBe(1);
    expect(await h.models.Membership.countDocuments({ userId: elsewhere.userId, businessId: elsewhere.businessId })).toBe(1);
    expect(await h.models.Session.countDocuments({ userId: elsewhere.userId })).toBeGreaterThan(0);
    const tombstone = await h.models.Business.findById(businessId).lean();
    expect(tombstone).toMatchObject({ status: 'closed', name: 'Closed account' });
    expect(tombstone?.publishableKey).not.toBe(business!.publishableKey);
    const conversation = await h.client.workflow
      .getHandle(h.dispatcher.workflowIdFor(key))
      .describe()
      .then(
        (d) => d.status.name,
        () => 'GONE',
      );
    expect(['TERMINATED', 'GONE']).toContain(conversation);
    expect(
      await h.models.AuditEntry.countDocuments({
        businessId,
        action: { $in: ['account_closure.begin', 'account_closure.disconnect_channels', 'account_closure.purge'] },
      }),
    ).toBe(3);
  });
});
