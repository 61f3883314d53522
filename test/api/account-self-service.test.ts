/** A business user's own account without staff: name and email (re-verified), their data as JSON, deleting it. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, awaitEmailedToken, signUp, signUpVerified, TEST_PASSWORD, uniqueEmail } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('account-self-service', { withResend: true });
});
afterAll(async () => {
  await h?.stop();
});

describe('account self-service', () => {
  it('changes your own name, and your email only with the current password; the new address is unverified until its link is opened', async () => {
    const me = await signUpVerified(h, { name: 'Old Name' });
    const renamed = await request(h.app).patch('/api/v1/me').set(me.auth).send({ name: 'New Name' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'New Name', email: me.email, emailVerified: true });

    const newEmail = uniqueEmail('moved');
    const refused = await request(h.app).patch('/api/v1/me').set(me.auth).send({ email: newEmail, currentPassword: 'wrong password' });
    expect(refused.status).toBe(403);
    expect((await h.models.User.findById(me.userId).lean())?.email).toBe(me.email);
    const taken = await signUp(h.app);
    expect(
      (await request(h.app).patch('/api/v1/me').set(me.auth).send({ email: taken.email, currentPassword: TEST_PASSWORD })).status,
    ).toBe(409);

    const moved = await request(h.app).patch('/api/v1/me').set(me.auth).send({ email: newEmail, currentPassword: TEST_PASSWORD });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ email: newEmail, emailVerified: false });
    const token = await awaitEmailedToken(h.resend!, newEmail, 'verify_email');
    expect((await request(h.app).post('/api/v1/auth/verify-email').send({ token })).status).toBe(200);
    expect((await request(h.app).get('/api/v1/me').set(me.auth)).body.user).toMatchObject({ email: newEmail, emailVerified: true });
  });

  it('downloads what is held about you as JSON', async () => {
    const me = await signUpVerified(h, { name: 'Ada Export', businessName: 'Export Clinic' });
    const res = await request(h.app).get('/api/v1/me/export').set(me.auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    expect(res.body).toMatchObject({
      format: 'luxleads.user-export/v1',
      account: { id: me.userId, name: 'Ada Export', email: me.email },
      memberships: [{ businessId: me.businessId, businessName: 'Export Clinic', role: 'owner' }],
    });
    expect(res.body.sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|\$argon|\$scrypt/);
  });

  it('refuses to delete the account of an owner of an open business, and deletes a member with their sessions', async () => {
    const owner = await signUpVerified(h, { name: 'Owner' });
    const member = await addMember(h, owner);
    const ownerRefused = await request(h.app).delete('/api/v1/me').set(owner.auth).send({ currentPassword: TEST_PASSWORD, confirm: true });
    expect(ownerRefused.status).toBe(409);
    expect(await h.models.User.exists({ _id: owner.userId })).toBeTruthy();

    // The member also owns the business they signed up with: closed, it no longer holds them back.
    expect(
      (await request(h.app).delete('/api/v1/me').set(member.auth).send({ currentPassword: TEST_PASSWORD, confirm: true })).status,
    ).toBe(409);
    const ownBusinesses = (await h.models.Membership.find({ userId: member.userId, role: 'owner' }).lean()).map((m) => m.businessId);
    expect(ownBusinesses).not.toContain(owner.businessId);
    await h.models.Business.updateMany({ _id: { $in: ownBusinesses } }, { $set: { status: 'closed' } });
    expect((await request(h.app).delete('/api/v1/me').set(member.auth).send({ currentPassword: 'wrong', confirm: true })).status).toBe(403);
    const deleted = await request(h.app).delete('/api/v1/me').set(member.auth).send({ currentPassword: TEST_PASSWORD, confirm: true });
    expect(deleted.status).toBe(204);
    expect(await h.models.User.exists({ _id: member.userId })).toBeNull();
    expect(await h.models.Membership.countDocuments({ userId: member.userId })).toBe(0);
    expect(await h.models.Session.countDocuments({ userId: member.userId })).toBe(0);
    expect((await request(h.app).get('/api/v1/me').set(member.auth)).status).toBe(401);
    // The owner's business keeps its owner.
    expect(await h.models.Membership.countDocuments({ businessId: owner.businessId })).toBe(1);
  });
});
