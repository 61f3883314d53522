/** Sign-up mails a single-use verification link (through the real Resend client, to the fake); /me reports the state. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitEmailedToken, bearer, signUp } from '../../helpers/accounts.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('auth-verify', { withResend: true });
});
afterAll(async () => {
  await h?.stop();
});

const verify = (token: string | undefined) => request(h.app).post('/api/v1/auth/verify-email').send({ token });
const isVerified = async (token: string) => (await request(h.app).get('/api/v1/me').set(bearer(token))).body.user.emailVerified as boolean;

describe('email verification', () => {
  it('mails a link to {PUBLIC_URL}/verify-email that verifies the address once', async () => {
    const acct = await signUp(h.app);
    const token = await awaitEmailedToken(h.resend!, acct.email, 'verify_email');
    const mail = h.resend!.emailsTo(acct.email).find((e) => e.tags?.some((t) => t.value === 'verify_email'));
    expect(mail?.subject).toMatch(/confirm your email/i);
    expect(mail?.text).toContain(`${h.config.PUBLIC_URL.replace(/\/+$/, '')}/verify-email?token=lv_`);
    // Stored only as a hash, and the account starts unverified.
    expect(await h.models.AccountToken.exists({ _id: token })).toBeNull();
    expect((await h.models.User.findById(acct.userId).lean())?.emailVerifiedAt).toBeNull();
    expect(await isVerified(acct.accessToken)).toBe(false);

    const first = await verify(token);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ email: acct.email, emailVerifiedAt: expect.any(String) });
    expect(await isVerified(acct.accessToken)).toBe(true);
    const again = await verify(token);
    expect(again.status).toBe(400);
    expect(again.body.type).toMatch(/invalid-token$/);
  });

  it('refuses an expired link and a made-up one with the same problem', async () => {
    const acct = await signUp(h.app);
    const token = await awaitEmailedToken(h.resend!, acct.email, 'verify_email');
    await h.models.AccountToken.updateMany({ userId: acct.userId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await verify(token);
    const madeUp = await verify(`lv_${'A'.repeat(43)}`);
    expect([expired.status, madeUp.status]).toEqual([400, 400]);
    expect(expired.body.type).toBe(madeUp.body.type);
    expect(await isVerified(acct.accessToken)).toBe(false);
  });

  it('resends a fresh link to a logged-in unverified user, and says 409 once verified', async () => {
    const acct = await signUp(h.app);
    const first = await awaitEmailedToken(h.resend!, acct.email, 'verify_email');
    const resent = await request(h.app).post('/api/v1/auth/verify-email/resend').set(acct.auth);
    expect(resent.status).toBe(202);
    const second = await awaitEmailedToken(h.resend!, acct.email, 'verify_email', { otherThan: first });
    expect(second).not.toBe(first);
    expect((await verify(second)).status).toBe(200);
    expect((await request(h.app).post('/api/v1/auth/verify-email/resend').set(acct.auth)).status).toBe(409);
  });

  it('does not verify an address the account no longer uses', async () => {
    const acct = await signUp(h.app);
    const token = await awaitEmailedToken(h.resend!, acct.email, 'verify_email');
    await h.models.User.updateOne({ _id: acct.userId }, { $set: { email: `changed-${acct.email}` } });
    expect((await verify(token)).status).toBe(400);
    expect((await h.models.User.findById(acct.userId).lean())?.emailVerifiedAt).toBeNull();
  });
});
