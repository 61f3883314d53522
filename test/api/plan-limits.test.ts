/**
 * The plan's limits on connected channels and seats, through the API with real parts: the Facebook login and
 * Page choice against the fake Graph, invitations mailed through the fake Resend and opened by the invitee, and
 * a server with Stripe keys (fake Stripe) beside one without (the unlimited local plan).
 */
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDING_COOKIE } from '../../api/meta-connect/oauth-state.js';
import type { PlanId } from '../../domain/plans.js';
import { startFakeStripe, type FakeStripe } from '../../sandbox/fakes/stripe.js';
import { awaitEmailedToken, signUp, signUpVerified, uniqueEmail, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let local: Harness;
let stripe: FakeStripe;

beforeAll(async () => {
  stripe = await startFakeStripe({ apiKey: 'sk_test_limits' });
  h = await startHarness('plan-limits', {
    withResend: true,
    env: {
      STRIPE_SECRET_KEY: 'sk_test_limits',
      STRIPE_WEBHOOK_SECRET: 'whsec_test_limits_0123456789',
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICE_STARTER: 'price_starter_limits',
      STRIPE_PRICE_GROWTH: 'price_growth_limits',
    },
  });
  local = await startHarness('plan-limits-local');
});
afterAll(async () => {
  await h?.stop();
  await local?.stop();
  await stripe?.close();
});

/** Puts the business on `plan`, as its BillingWorkflow records a subscription (or a change of plan in the portal). */
const putOnPlan = (hh: Harness, businessId: string, plan: PlanId) =>
  hh.models.BillingAccount.updateOne({ _id: businessId }, { $set: { plan, status: 'active' } }, { upsert: true });

type Page = { id: string; name: string; token: string };
const newPage = (name: string): Page => {
  const id = `2${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e5)).padStart(5, '0')}`;
  return { id, name, token: `PAGE-TOKEN-${id}` };
};

/** Facebook login through the callback: the id of the pending connection offering `pages`. */
const loginWith = async (hh: Harness, acct: TestAccount, pages: Page[]) => {
  const start = await request(hh.app).post(`/api/v1/businesses/${acct.businessId}/meta/connect`).set(acct.auth);
  expect(start.status).toBe(200);
  const state = new URL(start.body.url as string).searchParams.get('state')!;
  const cookie = ([] as string[]).concat(start.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${BINDING_COOKIE}=`))!;
  const code = `CODE-${pages[0]!.id}-${randomInt(1e9)}`;
  hh.graph.addOAuthUser({ code, userId: `55${randomInt(1e9)}`, pages });
  const cb = await request(hh.app)
    .get('/api/v1/meta/oauth/callback')
    .query({ code, state })
    .set('Accept', 'application/json')
    .set('Cookie', cookie.split(';')[0]!);
  expect(cb.status).toBe(200);
  return cb.body.pendingId as string;
};
const choose = (hh: Harness, acct: TestAccount, pendingId: string, pages: Page[]) =>
  request(hh.app)
    .post(`/api/v1/businesses/${acct.businessId}/meta/connections/${pendingId}/pages`)
    .set(acct.auth)
    .send({ pageIds: pages.map((p) => p.id) });
const connect = async (hh: Harness, acct: TestAccount, pages: Page[]) => choose(hh, acct, await loginWith(hh, acct, pages), pages);

const subscribesOf = (hh: Harness, page: Page) => hh.graph.callsTo('POST', new RegExp(`/${page.id}/subscribed_apps$`)).length;
const billingOf = (hh: Harness, acct: TestAccount) => request(hh.app).get(`/api/v1/businesses/${acct.businessId}/billing`).set(acct.auth);
const invite = (hh: Harness, acct: TestAccount, email: string) =>
  request(hh.app).post(`/api/v1/businesses/${acct.businessId}/members`).set(acct.auth).send({ email, role: 'member' });
const accept = (token: string, as: TestAccount) => request(h.app).post('/api/v1/invitations/accept').set(as.auth).send({ token });

describe('connected channels', () => {
  it('refuses one channel too many with 402 naming the plan, the limit and what to do; nothing is written or subscribed', async () => {
    const owner = await signUp(h.app, { businessName: 'Starter Channels' });
    await putOnPlan(h, owner.businessId, 'starter');
    const [a, b, c] = [newPage('Page A'), newPage('Page B'), newPage('Page C')];
    expect((await connect(h, owner, [a, b])).status).toBe(201);

    const pendingId = await loginWith(h, owner, [c]);
    const refused = await choose(h, owner, pendingId, [c]);
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ code: 'plan_limit', resource: 'channels', plan: 'starter', used: 2, limit: 2 });
    expect(refused.body.type).toMatch(/\/plan-limit$/);
    expect(refused.body.detail).toContain('The Starter plan includes 2 connected channels');
    expect(refused.body.detail).toContain(`Upgrade at ${h.config.PUBLIC_URL}/app/billing, or disconnect a channel first.`);
    expect(await h.models.Channel.countDocuments({ businessId: owner.businessId })).toBe(2);
    expect(await h.models.Channel.exists({ externalId: c.id })).toBeNull();
    expect(subscribesOf(h, c)).toBe(0);
    // The pending login is kept: after an upgrade or a disconnection the owner chooses again.
    expect(await h.models.PendingMetaConnection.exists({ _id: pendingId })).not.toBeNull();

    // Reconnecting a channel already connected (or waiting for reconnection) takes no new slot.
    await h.models.Channel.updateOne({ businessId: owner.businessId, externalId: a.id }, { $set: { status: 'needs_reconnect' } });
    const reconnected = await connect(h, owner, [a, b]);
    expect(reconnected.status).toBe(201);
    expect(reconnected.body.data.map((ch: { status: string }) => ch.status)).toEqual(['connected', 'connected']);
    expect(await h.models.Channel.countDocuments({ businessId: owner.businessId })).toBe(2);

    // A Page too many among several chosen at once refuses all of them.
    const d = newPage('Page D');
    expect((await connect(h, owner, [a, d])).status).toBe(402);
    expect(await h.models.Channel.exists({ externalId: d.id })).toBeNull();

    // Disconnecting frees the slot; the same pending login then connects.
    const channelA = await h.models.Channel.findOne({ businessId: owner.businessId, externalId: a.id }).lean();
    const off = await request(h.app).delete(`/api/v1/businesses/${owner.businessId}/channels/${channelA!._id}`).set(owner.auth);
    expect(off.status).toBeLessThan(300);
    expect((await choose(h, owner, pendingId, [c])).status).toBe(201);
    // And connecting the disconnected one again needs a slot again.
    expect((await connect(h, owner, [a])).status).toBe(402);
  });

  it('the trial has Growth’s channel limit', async () => {
    const owner = await signUp(h.app, { businessName: 'Trial Channels' });
    const pages = [1, 2, 3, 4, 5].map((n) => newPage(`Trial ${n}`));
    expect((await connect(h, owner, pages)).status).toBe(201);
    const refused = await connect(h, owner, [newPage('Trial 6')]);
    expect(refused.status).toBe(402);
    expect(refused.body.detail).toContain('The Free trial plan includes 5 connected channels');
    const view = await billingOf(h, owner);
    expect(view.body.usage.channels).toBe(5);
    expect(view.body.overLimit).toBeNull();
  });
});

describe('seats', () => {
  it('refuses an invitation past the seats (owner and pending invitations count); inviting the same address again is fine', async () => {
    const owner = await signUpVerified(h, { businessName: 'Starter Seats' });
    await putOnPlan(h, owner.businessId, 'starter');
    const person = await signUpVerified(h, { businessName: 'Their Own' });
    expect((await invite(h, owner, person.email)).status).toBe(202);

    const refused = await invite(h, owner, uniqueEmail('one-too-many'));
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ code: 'plan_limit', resource: 'seats', plan: 'starter', used: 2, limit: 2 });
    expect(refused.body.detail).toContain('The Starter plan includes 2 seats');
    expect(refused.body.detail).toContain('/app/billing, or remove a member first.');
    expect(await h.models.AccountToken.countDocuments({ purpose: 'invite', businessId: owner.businessId })).toBe(1);

    expect((await invite(h, owner, person.email)).status).toBe(202);
    const token = await awaitEmailedToken(h.resend!, person.email, 'invite');
    expect((await accept(token, person)).status).toBe(201);
    expect((await invite(h, owner, uniqueEmail('still-too-many'))).status).toBe(402);
    expect((await billingOf(h, owner)).body.usage.seats).toBe(2);
  });

  it('after a downgrade an invitation is accepted while a seat is free, then refused and left usable', async () => {
    const owner = await signUpVerified(h, { businessName: 'Downgraded Seats' });
    await putOnPlan(h, owner.businessId, 'growth');
    const [first, second] = [await signUpVerified(h), await signUpVerified(h)];
    expect((await invite(h, owner, first.email)).status).toBe(202);
    expect((await invite(h, owner, second.email)).status).toBe(202);
    const [t1, t2] = [
      await awaitEmailedToken(h.resend!, first.email, 'invite'),
      await awaitEmailedToken(h.resend!, second.email, 'invite'),
    ];
    await putOnPlan(h, owner.businessId, 'starter');

    expect((await billingOf(h, owner)).body.overLimit).toEqual({ seats: { used: 3, limit: 2 } });
    expect((await accept(t1, first)).status).toBe(201);
    const refused = await accept(t2, second);
    expect(refused.status).toBe(402);
    expect(refused.body.detail).toContain('Ask an owner of the business to upgrade');
    expect(await h.models.Membership.exists({ businessId: owner.businessId, userId: second.userId })).toBeNull();
    expect(
      await h.models.AccountToken.countDocuments({ businessId: owner.businessId, purpose: 'invite', usedAt: { $exists: false } }),
    ).toBe(1);

    await putOnPlan(h, owner.businessId, 'growth');
    expect((await accept(t2, second)).status).toBe(201);
  });
});

describe('downgrade', () => {
  it('disconnects nothing and reports what is over the new plan in the billing view', async () => {
    const owner = await signUp(h.app, { businessName: 'Downgraded Channels' });
    await putOnPlan(h, owner.businessId, 'growth');
    expect((await connect(h, owner, [newPage('G1'), newPage('G2'), newPage('G3')])).status).toBe(201);
    expect((await billingOf(h, owner)).body.overLimit).toBeNull();

    await putOnPlan(h, owner.businessId, 'starter');
    const view = await billingOf(h, owner);
    expect(view.status).toBe(200);
    expect(view.body.overLimit).toEqual({ channels: { used: 3, limit: 2 } });
    expect(await h.models.Channel.countDocuments({ businessId: owner.businessId, status: 'connected' })).toBe(3);
    expect((await connect(h, owner, [newPage('G4')])).status).toBe(402);
  });
});

describe('without Stripe keys (the local plan)', () => {
  it('limits neither channels nor seats', async () => {
    const owner = await signUp(local.app, { businessName: 'Local Clinic' });
    await local.models.User.updateOne({ _id: owner.userId }, { $set: { emailVerifiedAt: new Date() } });
    const pages = [1, 2, 3, 4, 5, 6, 7].map((n) => newPage(`Local ${n}`));
    expect((await connect(local, owner, pages)).status).toBe(201);
    for (let i = 0; i < 7; i++) expect((await invite(local, owner, uniqueEmail('local'))).status).toBe(202);
    const view = await billingOf(local, owner);
    expect(view.body).toMatchObject({ plan: { id: 'local' }, usage: { channels: 7, seats: 8 }, overLimit: null });
  });
});

describe('OpenAPI', () => {
  it('lists 402 on the routes that enforce the plan', async () => {
    const doc = JSON.parse((await request(h.app).get('/openapi.json')).text);
    expect(doc.paths['/api/v1/businesses/{businessId}/meta/connections/{pendingId}/pages'].post.responses['402']).toBeDefined();
    expect(doc.paths['/api/v1/businesses/{businessId}/members'].post.responses['402']).toBeDefined();
    expect(doc.paths['/api/v1/invitations/accept'].post.responses['402']).toBeDefined();
  });
});
