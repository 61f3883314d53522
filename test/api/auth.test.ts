import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthDeps } from '../../api/auth/deps.js';
import { authenticate, requirePlatformRole } from '../../api/auth/middleware.js';
import { errorHandler } from '../../api/errors.js';
import { authRouter } from '../../api/routes/auth.js';
import { createRateLimiter } from '../../lib/rate-limit.js';
import { bearer, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('auth', { startWorker: false });
});
afterAll(async () => {
  await h?.stop();
});

const login = (email: string, password: string) => request(h.app).post('/api/v1/auth/login').send({ email, password });
const refresh = (refreshToken: string) => request(h.app).post('/api/v1/auth/refresh').send({ refreshToken });
const me = (token: string) => request(h.app).get('/api/v1/me').set(bearer(token));
const withoutInstance = (body: Record<string, unknown>) => ({ ...body, instance: undefined });

describe('sign-up', () => {
  it('creates the user, an owned business with a fresh publishable key, and returns tokens', async () => {
    const acct = await signUp(h.app, { email: 'Owner.One@Example.com', niche: 'dental clinic', timezone: 'Europe/Berlin' });
    const user = await h.models.User.findById(acct.userId).lean();
    expect(user?.email).toBe('owner.one@example.com');
    expect(user?.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(user?.passwordHash).not.toContain(TEST_PASSWORD);
    const business = await h.models.Business.findById(acct.businessId).lean();
    expect(business).toMatchObject({ name: 'Test Clinic', niche: 'dental clinic', timezone: 'Europe/Berlin', aiMode: 'auto' });
    expect(business?.publishableKey).toMatch(/^pk_[0-9a-f]{36}$/);
    const res = await me(acct.accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: acct.userId, email: 'owner.one@example.com', emailVerified: false, name: 'Test Owner', platformRole: null },
      memberships: [{ businessId: acct.businessId, businessName: 'Test Clinic', role: 'owner' }],
    });
  });

  it('rejects weak passwords, bad emails and unknown time zones, naming each field', async () => {
    const res = await request(h.app)
      .post('/api/v1/auth/signup')
      .send({ email: 'nope', password: 'aaaaaaaaaaaaaaa', name: 'X', businessName: 'Y', timezone: 'Mars/Olympus' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.timezone']));
    const short = await request(h.app)
      .post('/api/v1/auth/signup')
      .send({ email: uniqueEmail(), password: 'short1', name: 'X', businessName: 'Y' });
    expect(short.body.detail).toContain('at least 12 characters');
  });

  it('answers 409 for an email that already has an account', async () => {
    const acct = await signUp(h.app);
    const res = await request(h.app)
      .post('/api/v1/auth/signup')
      .send({ email: acct.email, password: TEST_PASSWORD, name: 'Again', businessName: 'Again' });
    expect(res.status).toBe(409);
    expect(await h.models.User.countDocuments({ email: acct.email })).toBe(1);
  });
});

describe('login, refresh and logout', () => {
  it('logs in, refreshes with rotation, and logs out so the access token stops working at once', async () => {
    const acct = await signUp(h.app);
    const res = await login(acct.email.toUpperCase(), TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(await h.models.Session.exists({ _id: res.body.refreshToken })).toBeNull(); // stored only as a hash

    const rotated = await refresh(res.body.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(res.body.refreshToken);
    expect((await me(rotated.body.accessToken)).status).toBe(200);

    expect((await request(h.app).post('/api/v1/auth/logout').set(bearer(rotated.body.accessToken))).status).toBe(204);
    expect((await me(rotated.body.accessToken)).status).toBe(401);
    expect((await me(res.body.accessToken)).status).toBe(401);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  it('revokes the whole session when a rotated refresh token is presented again', async () => {
    const acct = await signUp(h.app);
    const first = await refresh(acct.refreshToken);
    expect(first.status).toBe(200);
    expect((await me(first.body.accessToken)).status).toBe(200);

    const replay = await refresh(acct.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.type).toMatch(/refresh-token-reused$/);
    expect((await refresh(first.body.refreshToken)).status).toBe(401);
    expect((await me(first.body.accessToken)).status).toBe(401);
  });

  it('rejects tampered, malformed and missing access tokens with 401 problems', async () => {
    const acct = await signUp(h.app);
    const [a, b, c, sig] = acct.accessToken.split('.') as [string, string, string, string];
    const forged = [
      a,
      b,
      Buffer.from(JSON.stringify({ sub: 'usr_someone_else', sid: 'x', exp: 9_999_999_999 })).toString('base64url'),
      sig,
    ].join('.');
    for (const token of [forged, `${a}.${b}.${c}.${sig.slice(0, -2)}AA`, 'not-a-token-at-all']) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/problem+json');
    }
    expect((await request(h.app).get('/api/v1/me')).status).toBe(401);
  });

  it('gives an unknown email and a wrong password the identical problem body', async () => {
    const acct = await signUp(h.app);
    const wrong = await login(acct.email, 'wrong password 123');
    const unknown = await login(uniqueEmail('ghost'), 'wrong password 123');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(withoutInstance(unknown.body)).toEqual(withoutInstance(wrong.body));
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a caller exceeds the sign-up budget', async () => {
    const tight = () => createRateLimiter({ capacity: 1, refillPerSecond: 0.001 });
    const app = express()
      .use(express.json())
      .use(
        authRouter(createAuthDeps(h.config, h.models, h.log), {
          signupPerIp: tight(),
          signupPerEmail: tight(),
          loginPerIp: tight(),
          refreshPerIp: tight(),
        }),
      );
    app.use(errorHandler(h.log));
    await request(app)
      .post('/api/v1/auth/signup')
      .send({ email: uniqueEmail(), password: TEST_PASSWORD, name: 'A', businessName: 'B' })
      .expect(201);
    const res = await request(app)
      .post('/api/v1/auth/signup')
      .send({ email: uniqueEmail(), password: TEST_PASSWORD, name: 'A', businessName: 'B' });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await request(app).post('/api/v1/auth/login').send({ email: 'a@example.com', password: 'x' }).expect(401);
    expect((await request(app).post('/api/v1/auth/login').send({ email: 'b@example.com', password: 'x' })).status).toBe(429);
  });
});

describe('requirePlatformRole', () => {
  it('admits only users holding one of the listed staff roles', async () => {
    const deps = createAuthDeps(h.config, h.models, h.log);
    const app = express().get(
      '/staff-only',
      authenticate(deps),
      requirePlatformRole(deps, ['compliance']),
      (_req, res) => void res.json({ ok: true }),
    );
    app.use(errorHandler(h.log));
    // Straight into the store: this file has used up its sign-up budget, and staff roles are never self-service.
    const userWith = async (id: string, platformRole?: 'support' | 'compliance') => {
      await h.models.User.create({ _id: id, email: uniqueEmail(id), passwordHash: 'unused', ...(platformRole ? { platformRole } : {}) });
      const session = await deps.sessions.start(id);
      return { auth: bearer(deps.tokens.issue(id, session.sessionId).token) };
    };
    const [plain, support, compliance] = [
      await userWith('usr_plain'),
      await userWith('usr_support', 'support'),
      await userWith('usr_compliance', 'compliance'),
    ];
    expect((await request(app).get('/staff-only').set(plain.auth)).status).toBe(403);
    expect((await request(app).get('/staff-only').set(support.auth)).status).toBe(403);
    expect((await request(app).get('/staff-only').set(compliance.auth)).status).toBe(200);
    expect((await request(app).get('/staff-only')).status).toBe(401);
  });
});
