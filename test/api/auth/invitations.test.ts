/**
 * Inviting members: the answer never tells whether an address has an account; only a verified account with
 * the invited address can join, through the mailed link; invitations are budgeted per business and per owner.
 */
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthDeps } from '../../../api/auth/deps.js';
import { errorHandler } from '../../../api/errors.js';
import { membersRouter } from '../../../api/routes/members.js';
import { createRateLimiter } from '../../../lib/rate-limit.js';
import { awaitEmailedToken, signUp, signUpVerified, uniqueEmail, verifyEmail, type TestAccount } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
let owner: TestAccount;
beforeAll(async () => {
  h = await startHarness('auth-invites', { withResend: true });
  owner = await signUpVerified(h, { businessName: 'Inviting Clinic' });
});
afterAll(async () => {
  await h?.stop();
});

const invite = (email: string, as = owner) =>
  request(h.app).post(`/api/v1/businesses/${as.businessId}/members`).set(as.auth).send({ email, role: 'member' });
const accept = (token: string | undefined, as: TestAccount) =>
  request(h.app).post('/api/v1/invitations/accept').set(as.auth).send({ token });
const withoutInstance = (body: Record<string, unknown>) => ({ ...body, instance: undefined });

describe('POST …/members (invite)', () => {
  it('answers identically for a verified account, an unverified one and an address nobody uses, and mails each', async () => {
    const verified = await signUpVerified(h);
    const unverified = await signUp(h.app);
    const nobody = uniqueEmail('nobody');
    const answers = [await invite(verified.email), await invite(unverified.email), await invite(nobody)];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(withoutInstance(answers[1]!.body)).toEqual(withoutInstance(answers[0]!.body));
    expect(withoutInstance(answers[2]!.body)).toEqual(withoutInstance(answers[0]!.body));
    for (const to of [verified.email, unverified.email, nobody]) {
      const mail = await eventually(() => h.resend!.emailsTo(to).find((e) => e.tags?.some((t) => t.value === 'invite')), {
        what: `the invitation to ${to}`,
      });
      expect(mail?.subject).toContain('Inviting Clinic');
      expect(mail?.text).toContain('/accept-invite?token=li_');
    }
  });

  it('refuses an unverified account until it verifies; the same link then works, once', async () => {
    const person = await signUp(h.app);
    await invite(person.email);
    const token = await awaitEmailedToken(h.resend!, person.email, 'invite');
    const early = await accept(token, person);
    expect(early.status).toBe(403);
    expect(early.body.type).toMatch(/email-not-verified$/);
    expect(await h.models.Membership.exists({ businessId: owner.businessId, userId: person.userId })).toBeNull();

    await verifyEmail(h, person);
    const joined = await accept(token, person);
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({ businessId: owner.businessId, businessName: 'Inviting Clinic', role: 'member' });
    expect((await request(h.app).get(`/api/v1/businesses/${owner.businessId}`).set(person.auth)).status).toBe(200);
    expect((await accept(token, person)).status).toBe(400);
  });

  it('lets only the invited address use the link', async () => {
    const invited = await signUpVerified(h);
    const other = await signUpVerified(h);
    await invite(invited.email);
    const token = await awaitEmailedToken(h.resend!, invited.email, 'invite');
    expect((await accept(token, other)).status).toBe(403);
    expect((await accept(token, invited)).status).toBe(201);
  });

  it('refuses to send invitations for an owner whose own email is unverified', async () => {
    const fresh = await signUp(h.app);
    const res = await invite(uniqueEmail('target'), fresh);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/email-not-verified$/);
    await verifyEmail(h, fresh);
    expect((await invite(uniqueEmail('target'), fresh)).status).toBe(202);
  });
});

describe('invitation budgets', () => {
  const tight = () => createRateLimiter({ capacity: 2, refillPerSecond: 0.0001 });
  const roomy = () => createRateLimiter({ capacity: 100, refillPerSecond: 1 });
  const appWith = (limits: Parameters<typeof membersRouter>[1]) => {
    const app = express()
      .use(express.json())
      .use(membersRouter(createAuthDeps(h.config, h.models, h.log), limits));
    return app.use(errorHandler(h.log));
  };
  const post = (app: express.Express, as: TestAccount, businessId = as.businessId) =>
    request(app)
      .post(`/api/v1/businesses/${businessId}/members`)
      .set(as.auth)
      .send({ email: uniqueEmail('x') });

  it('answers 429 with Retry-After past the per-business budget; another business has its own', async () => {
    const app = appWith({ invitesPerBusiness: tight(), invitesPerActor: roomy() });
    const other = await signUpVerified(h, { businessName: 'Other Clinic' });
    expect([(await post(app, owner)).status, (await post(app, owner)).status]).toEqual([202, 202]);
    const refused = await post(app, owner);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(app, other)).status).toBe(202);
  });

  it('answers 429 past the per-owner budget, across the businesses they own', async () => {
    const app = appWith({ invitesPerBusiness: roomy(), invitesPerActor: tight() });
    const second = await signUpVerified(h, { businessName: 'Second Clinic' });
    await h.models.Membership.create({
      _id: `mem_${second.businessId}_${owner.userId}`,
      userId: owner.userId,
      businessId: second.businessId,
      role: 'owner',
    });
    expect([(await post(app, owner)).status, (await post(app, owner)).status]).toEqual([202, 202]);
    expect((await post(app, owner, second.businessId)).status).toBe(429);
    expect((await post(app, second)).status).toBe(202);
  });
});
