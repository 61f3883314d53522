/** Test accounts made through the real API: sign up (owner of a new business), add members, act as someone. */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { Models } from '../../db/models/index.js';

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
      email, password: TEST_PASSWORD, name: o.name ?? 'Test Owner', businessName: o.businessName ?? 'Test Clinic',
      ...(o.niche ? { niche: o.niche } : {}), ...(o.timezone ? { timezone: o.timezone } : {}),
    });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  const body = res.body as { userId: string; businessId: string; accessToken: string; refreshToken: string };
  return {
    userId: body.userId, businessId: body.businessId, email: email.trim().toLowerCase(),
    accessToken: body.accessToken, refreshToken: body.refreshToken, token: body.accessToken, auth: bearer(body.accessToken),
  };
};

/** A new user added to `owner`'s business with `role` by the owner, through the members API. */
export const addMember = async (app: Express, owner: TestAccount, role: 'owner' | 'member' = 'member'): Promise<TestAccount> => {
  const person = await signUp(app, { name: 'Test Member', businessName: 'Their Own Business' });
  const res = await request(app).post(`/api/v1/businesses/${owner.businessId}/members`).set(owner.auth).send({ email: person.email, role });
  if (res.status !== 201) throw new Error(`adding member failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...person, businessId: owner.businessId };
};

/** Gives a signed-up user a role in a business that was seeded rather than signed up (the demo business). */
export const grantAccess = async (models: Models, account: TestAccount, businessId: string, role: 'owner' | 'member' = 'owner'): Promise<TestAccount> => {
  await models.Membership.create({ _id: `mem_${businessId}_${account.userId}`, userId: account.userId, businessId, role });
  return { ...account, businessId };
};
