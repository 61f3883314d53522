/** Test accounts made through the real API: sign up (owner of a new business), add members, act as someone. */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { Models } from '../../db/models/index.js';
import type { FakeResend } from '../../sandbox/fakes/resend.js';
import { eventually } from './eventually.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomBytes(5).toString('hex')}@example.com`;

/** Headers for supertest's `.set()`: an access token or an API key. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export type TestAccount = {
  userId: string;
  businessId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  /** Same as accessToken. */
  token: string;
  auth: { Authorization: string };
};

export type SignUpOptions = { email?: string; name?: string; businessName?: string; niche?: string; timezone?: string };

/** A new user who owns a new business. */
export const signUp = async (app: Express, o: SignUpOptions = {}): Promise<TestAccount> => {
  const email = o.email ?? uniqueEmail('owner');
  const res = await request(app)
    .post('/api/v1/auth/signup')
    .send({
      email,
      password: TEST_PASSWORD,
      name: o.name ?? 'Test Owner',
      businessName: o.businessName ?? 'Test Clinic',
      ...(o.niche ? { niche: o.niche } : {}),
      ...(o.timezone ? { timezone: o.timezone } : {}),
    });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  const body = res.body as { userId: string; businessId: string; accessToken: string; refreshToken: string };
  return {
    userId: body.userId,
    businessId: body.businessId,
    email: email.trim().toLowerCase(),
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    token: body.accessToken,
    auth: bearer(body.accessToken),
  };
};

export type EmailedLinkKind = 'verify_email' | 'password_reset' | 'invite';

/** The token of the newest `kind` link the fake Resend delivered to `to`, or undefined. */
export const emailedToken = (resend: FakeResend, to: string, kind: EmailedLinkKind): string | undefined => {
  const emails = resend.emailsTo(to).filter((e) => e.tags?.some((t) => t.name === 'kind' && t.value === kind));
  const link = emails.at(-1)?.text?.match(/\?token=([^\s]+)/);
  return link ? decodeURIComponent(link[1]!) : undefined;
};

/**
 * The token of the newest `kind` link mailed to `to`, once it arrives: account emails go out in the background
 * (sendEmailWorkflow). `otherThan`: wait for a newer link than this one.
 */
export const awaitEmailedToken = (resend: FakeResend, to: string, kind: EmailedLinkKind, opts: { otherThan?: string } = {}) =>
  eventually(
    () => {
      const token = emailedToken(resend, to, kind);
      return token !== undefined && token !== opts.otherThan ? token : undefined;
    },
    { what: `the ${kind} email to ${to}` },
  );

/** An app whose Resend is the fake (startHarness(…, { withResend: true })): links are read from the mails it received. */
export type AppWithMail = { app: Express; resend?: FakeResend };

const mailOf = (h: AppWithMail) => {
  if (!h.resend) throw new Error('this helper reads the emailed link: start the harness with { withResend: true }');
  return h.resend;
};

/** Opens the verification link mailed at sign-up, as the person would. */
export const verifyEmail = async (h: AppWithMail, account: Pick<TestAccount, 'email'>) => {
  const token = await awaitEmailedToken(mailOf(h), account.email, 'verify_email');
  const res = await request(h.app).post('/api/v1/auth/verify-email').send({ token });
  if (res.status !== 200) throw new Error(`verifying email failed: ${res.status} ${JSON.stringify(res.body)}`);
};

/** A new user who owns a new business, with the email verified through the mailed link. */
export const signUpVerified = async (h: AppWithMail, o: SignUpOptions = {}) => {
  const account = await signUp(h.app, o);
  await verifyEmail(h, account);
  return account;
};

/**
 * A new user added to `owner`'s business with `role` through the real flow: both verify their email, the
 * owner invites, and the new user opens the invitation link while logged in.
 */
export const addMember = async (h: AppWithMail, owner: TestAccount, role: 'owner' | 'member' = 'member'): Promise<TestAccount> => {
  const me = await request(h.app).get('/api/v1/me').set(owner.auth);
  if (!me.body.user?.emailVerified) await verifyEmail(h, owner);
  const person = await signUpVerified(h, { name: 'Test Member', businessName: 'Their Own Business' });
  const invited = await request(h.app)
    .post(`/api/v1/businesses/${owner.businessId}/members`)
    .set(owner.auth)
    .send({ email: person.email, role });
  if (invited.status !== 202) throw new Error(`inviting member failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const token = await awaitEmailedToken(mailOf(h), person.email, 'invite');
  const joined = await request(h.app).post('/api/v1/invitations/accept').set(person.auth).send({ token });
  if (joined.status !== 201) throw new Error(`accepting the invitation failed: ${joined.status} ${JSON.stringify(joined.body)}`);
  return { ...person, businessId: owner.businessId };
};

/** Gives a signed-up user a role in a business that was seeded rather than signed up (the demo business). */
export const grantAccess = async (
  models: Models,
  account: TestAccount,
  businessId: string,
  role: 'owner' | 'member' = 'owner',
): Promise<TestAccount> => {
  await models.Membership.create({ _id: `mem_${businessId}_${account.userId}`, userId: account.userId, businessId, role });
  return { ...account, businessId };
};
