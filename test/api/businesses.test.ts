import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitEmailedToken, signUp, signUpVerified, uniqueEmail, verifyEmail, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let owner: TestAccount;
beforeAll(async () => {
  h = await startHarness('businesses', { withResend: true });
  owner = await signUp(h.app, { niche: 'physiotherapy', timezone: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.stop();
});

const path = (id: string, rest = '') => `/api/v1/businesses/${id}${rest}`;
const patch = (acct: TestAccount, body: unknown) =>
  request(h.app)
    .patch(path(acct.businessId))
    .set(acct.auth)
    .send(body as object);

describe('business configuration', () => {
  it("reads the business with its defaults and the caller's access", async () => {
    const res = await request(h.app).get(path(owner.businessId)).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: owner.businessId,
      niche: 'physiotherapy',
      timezone: 'Europe/Dublin',
      aiMode: 'auto',
      emailMode: 'instant',
      access: { role: 'owner', via: 'membership' },
    });
  });

  it('lists every invalid field in one 400 problem', async () => {
    const res = await patch(owner, {
      timezone: 'Mars/Olympus',
      country: 'QQ',
      widgetColor: 'blue',
      allowedOrigins: ['https://shop.example.com/path'],
      notifyWhatsapp: ['07700900123'],
      handoverPauseMinutes: 0,
      calendlyUrl: 'https://evil.example.com/book',
      bookingLinks: [{ label: 'Book', url: 'http://insecure.example.com' }],
      workingHours: [{ day: 1, open: '18:00', close: '09:00' }],
      pricing: 'x'.repeat(4001),
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.timezone',
        'body.country',
        'body.widgetColor',
        'body.allowedOrigins.0',
        'body.notifyWhatsapp.0',
        'body.handoverPauseMinutes',
        'body.calendlyUrl',
        'body.bookingLinks.0.url',
        'body.workingHours.0.close',
        'body.pricing',
      ]),
    );
    expect(res.body.detail).toContain('body.allowedOrigins.0: must be an origin only');
  });

  it('refuses unknown fields and empty patches', async () => {
    expect((await patch(owner, { publishableKey: 'pk_mine' })).status).toBe(400);
    const empty = await patch(owner, {});
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('at least one field');
  });

  it('saves a valid patch, and null clears an optional field', async () => {
    const res = await patch(owner, {
      pricing: 'Assessment €60',
      workingHours: [{ day: 1, open: '09:00', close: '17:30' }],
      allowedOrigins: ['https://www.physio.example'],
      notifyWhatsapp: ['+353851234567'],
      notifyEmails: ['Front.Desk@physio.example'],
      calendlyUrl: 'https://calendly.com/physio/intro',
      aiMode: 'draft',
      handoverPauseMinutes: 43_200,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      pricing: 'Assessment €60',
      aiMode: 'draft',
      notifyWhatsapp: [{ number: '+353851234567', status: 'ok' }],
      notifyEmails: ['front.desk@physio.example'],
    });
    const cleared = await patch(owner, { pricing: null });
    expect(cleared.body.pricing).toBeNull();
    expect((await h.models.Business.findById(owner.businessId).lean())?.pricing).toBeUndefined();
  });
});

describe('publishable key rotation', () => {
  it('issues a new key and the old one stops working for the widget at once', async () => {
    const before = (await h.models.Business.findById(owner.businessId).lean())!.publishableKey;
    const site = 'https://www.physio.example'; // allowed by the patch above
    expect((await request(h.app).post('/widget/v1/sessions').set('origin', site).send({ key: before })).status).toBe(200); // warms the lookup cache
    const res = await request(h.app).post(path(owner.businessId, '/publishable-key/rotate')).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.publishableKey).toMatch(/^pk_[0-9a-f]{36}$/);
    expect(res.body.publishableKey).not.toBe(before);
    expect((await request(h.app).post('/widget/v1/sessions').set('origin', site).send({ key: before })).status).toBe(403);
    expect((await request(h.app).post('/widget/v1/sessions').set('origin', site).send({ key: res.body.publishableKey })).status).toBe(200);
  });
});

describe('members and roles', () => {
  let member: TestAccount;
  beforeAll(async () => {
    await verifyEmail(h, owner);
    member = await signUpVerified(h);
  });

  it('lets an owner invite a verified user, who joins through the link and then works with member rights', async () => {
    const invited = await request(h.app)
      .post(path(owner.businessId, '/members'))
      .set(owner.auth)
      .send({ email: member.email.toUpperCase() });
    expect(invited.status).toBe(202);
    const token = await awaitEmailedToken(h.resend!, member.email, 'invite');
    const joined = await request(h.app).post('/api/v1/invitations/accept').set(member.auth).send({ token });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ businessId: owner.businessId, role: 'member' });
    // Single use; and inviting someone already in, or an address nobody uses, answers the same 202.
    expect((await request(h.app).post('/api/v1/invitations/accept').set(member.auth).send({ token })).status).toBe(400);
    const again = await request(h.app).post(path(owner.businessId, '/members')).set(owner.auth).send({ email: member.email });
    const nobody = await request(h.app)
      .post(path(owner.businessId, '/members'))
      .set(owner.auth)
      .send({ email: uniqueEmail('nobody') });
    expect([again.status, nobody.status]).toEqual([202, 202]);
    expect(nobody.body).toEqual(again.body);

    const asMember = { ...member, businessId: owner.businessId };
    const read = await request(h.app).get(path(owner.businessId)).set(member.auth);
    expect(read.body.access).toEqual({ role: 'member', via: 'membership' });
    expect((await patch(asMember, { pricing: 'Member-edited prices' })).status).toBe(200);
    const ownerOnly = await patch(asMember, { allowedOrigins: ['https://attacker.example'], notifyEmails: ['me@attacker.example'] });
    expect(ownerOnly.status).toBe(403);
    expect(ownerOnly.body.detail).toContain('allowedOrigins, notifyEmails');
    expect((await request(h.app).post(path(owner.businessId, '/publishable-key/rotate')).set(member.auth)).status).toBe(403);
    expect((await request(h.app).post(path(owner.businessId, '/api-keys')).set(member.auth).send({ name: 'x' })).status).toBe(403);
    expect(
      (
        await request(h.app)
          .delete(path(owner.businessId, `/members/${owner.userId}`))
          .set(member.auth)
      ).status,
    ).toBe(403);
    expect((await request(h.app).get(path(owner.businessId, '/audit')).set(member.auth)).status).toBe(403);

    const list = await request(h.app).get(path(owner.businessId, '/members')).set(member.auth);
    expect(list.body.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [owner.userId, 'owner'],
      [member.userId, 'member'],
    ]);
  });

  it('keeps the last owner and removes members, who then lose access', async () => {
    const last = await request(h.app)
      .delete(path(owner.businessId, `/members/${owner.userId}`))
      .set(owner.auth);
    expect(last.status).toBe(409);
    expect(
      (
        await request(h.app)
          .delete(path(owner.businessId, `/members/${member.userId}`))
          .set(owner.auth)
      ).status,
    ).toBe(204);
    expect((await request(h.app).get(path(owner.businessId)).set(member.auth)).status).toBe(404);
    expect(
      (
        await request(h.app)
          .delete(path(owner.businessId, `/members/${member.userId}`))
          .set(owner.auth)
      ).status,
    ).toBe(404);
  });
});

describe('platform staff and the audit trail', () => {
  it('lets platform staff read any business, auditing each access, but not change it', async () => {
    const staff = await signUp(h.app);
    await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'support' } });
    const res = await request(h.app).get(path(owner.businessId)).set(staff.auth);
    expect(res.status).toBe(200);
    expect(res.body.access).toEqual({ role: 'platform', via: 'platform' });
    const entry = await h.models.AuditEntry.findOne({
      businessId: owner.businessId,
      action: 'platform.read_business',
      actorId: staff.userId,
    }).lean();
    expect(entry).toMatchObject({
      actorType: 'platform',
      actorRole: 'support',
      details: { method: 'GET', route: '/api/v1/businesses/:businessId' },
    });
    expect((await patch({ ...staff, businessId: owner.businessId }, { pricing: 'staff edit' })).status).toBe(404);
    expect((await request(h.app).get(path(owner.businessId, '/audit')).set(staff.auth)).status).toBe(200);
    expect(
      await h.models.AuditEntry.countDocuments({ businessId: owner.businessId, actorId: staff.userId, action: 'platform.read_business' }),
    ).toBe(2);
  });

  it("a user without a platform role gets 404 for someone else's business", async () => {
    const stranger = await signUp(h.app);
    expect((await request(h.app).get(path(owner.businessId)).set(stranger.auth)).status).toBe(404);
  });

  it('pages through audit entries newest first with a cursor', async () => {
    const first = await request(h.app).get(path(owner.businessId, '/audit')).query({ limit: 2 }).set(owner.auth);
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all: { id: string; at: string }[] = [...first.body.data];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await request(h.app).get(path(owner.businessId, '/audit')).query({ limit: 2, cursor }).set(owner.auth);
      all.push(...page.body.data);
      cursor = page.body.nextCursor;
    }
    const total = await h.models.AuditEntry.countDocuments({ businessId: owner.businessId });
    expect(all).toHaveLength(total);
    expect(new Set(all.map((e) => e.id)).size).toBe(total);
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    expect(all.map((e) => (e as { action?: string }).action)).toEqual(
      expect.arrayContaining([
        'business.created',
        'business.updated',
        'business.publishable_key_rotated',
        'member.added',
        'member.removed',
      ]),
    );

    const bad = await request(h.app).get(path(owner.businessId, '/audit')).query({ cursor: 'garbage' }).set(owner.auth);
    expect(bad.status).toBe(400);
    expect((await request(h.app).get(path(owner.businessId, '/audit')).query({ limit: 101 }).set(owner.auth)).status).toBe(400);
  });
});
