/** Password change, reset by email and "log out everywhere", each ending the sessions it should. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, emailedToken, signUp, TEST_PASSWORD, uniqueEmail, type TestAccount } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('auth-passwords', { withResend: true });
});
afterAll(async () => {
  await h?.stop();
});

const NEW_PASSWORD = 'a brand new passphrase 42';
type Session = { accessToken: string; refreshToken: string };
const login = async (email: string, password: string) => request(h.app).post('/api/v1/auth/login').send({ email, password });
const secondSession = async (acct: TestAccount): Promise<Session> => (await login(acct.email, TEST_PASSWORD)).body as Session;
const isLive = async (s: Session) => (await request(h.app).get('/api/v1/me').set(bearer(s.accessToken))).status === 200;
const canRefresh = async (s: Session) =>
  (await request(h.app).post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken })).status === 200;

describe('POST /api/v1/auth/password (change)', () => {
  it('needs the current password, then ends every other session and keeps this one', async () => {
    const acct = await signUp(h.app);
    const other = await secondSession(acct);
    const wrong = await request(h.app)
      .post('/api/v1/auth/password')
      .set(acct.auth)
      .send({ currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(await isLive(other)).toBe(true);

    expect(
      (
        await request(h.app)
          .post('/api/v1/auth/password')
          .set(acct.auth)
          .send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
      ).status,
    ).toBe(204);
    expect(await isLive(acct)).toBe(true);
    expect(await isLive(other)).toBe(false);
    expect(await canRefresh(other)).toBe(false);
    expect((await login(acct.email, TEST_PASSWORD)).status).toBe(401);
    expect((await login(acct.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('rejects a weak new password or the same one, naming the field', async () => {
    const acct = await signUp(h.app);
    const same = await request(h.app)
      .post('/api/v1/auth/password')
      .set(acct.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    const weak = await request(h.app)
      .post('/api/v1/auth/password')
      .set(acct.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect([same.status, weak.status]).toEqual([400, 400]);
    expect(same.body.errors).toEqual([expect.objectContaining({ field: 'body.newPassword' })]);
  });
});

describe('password reset by email', () => {
  const requestReset = (email: string) => request(h.app).post('/api/v1/auth/password-reset').send({ email });
  const confirm = (token: string | undefined, newPassword = NEW_PASSWORD) =>
    request(h.app).post('/api/v1/auth/password-reset/confirm').send({ token, newPassword });

  it('answers 202 alike for any address, mails a single-use link to an account, and ends every session', async () => {
    const acct = await signUp(h.app);
    const other = await secondSession(acct);
    const ghost = uniqueEmail('ghost');
    const [known, unknown] = [await requestReset(acct.email), await requestReset(ghost)];
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(unknown.body).toEqual(known.body);
    const token = await eventually(() => emailedToken(h.resend!, acct.email, 'password_reset'), { what: 'the reset email' });
    expect(h.resend!.emailsTo(acct.email).find((e) => e.tags?.some((t) => t.value === 'password_reset'))?.text).toContain(
      '/reset-password?token=lp_',
    );
    expect(await h.models.AccountToken.exists({ _id: token })).toBeNull();

    expect((await confirm(token)).status).toBe(204);
    expect(await isLive(acct)).toBe(false);
    expect(await isLive(other)).toBe(false);
    expect(await canRefresh(acct)).toBe(false);
    expect((await login(acct.email, NEW_PASSWORD)).status).toBe(200);
    expect((await confirm(token, 'yet another passphrase 7')).status).toBe(400);
    // Opening the link proved the inbox: the address is verified too.
    expect((await h.models.User.findById(acct.userId).lean())?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(h.resend!.emailsTo(ghost)).toEqual([]);
  });

  it('refuses an expired link', async () => {
    const acct = await signUp(h.app);
    await requestReset(acct.email);
    const token = await eventually(() => emailedToken(h.resend!, acct.email, 'password_reset'), { what: 'the reset email' });
    await h.models.AccountToken.updateMany(
      { userId: acct.userId, purpose: 'password_reset' },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    expect((await confirm(token)).status).toBe(400);
    expect((await login(acct.email, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('POST /api/v1/auth/logout-all', () => {
  it("ends every session of the user, this one included, and no one else's", async () => {
    const acct = await signUp(h.app);
    const bystander = await signUp(h.app);
    const other = await secondSession(acct);
    expect((await request(h.app).post('/api/v1/auth/logout-all').set(acct.auth)).status).toBe(204);
    for (const s of [acct, other]) {
      expect(await isLive(s)).toBe(false);
      expect(await canRefresh(s)).toBe(false);
    }
    expect(await isLive(bystander)).toBe(true);
    expect((await login(acct.email, TEST_PASSWORD)).status).toBe(200);
  });
});
