import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealChatLinkToken } from '../../api/privacy/chat-link-token.js';
import { sessionIdsFromConfig } from '../../api/widget/session-id.js';
import { DEMO } from '../../domain/demo-seed.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import { bearer, signUp } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { DAY_MS } from '../../lib/durations.js';

const ORIGIN = 'http://localhost:3000';
const linkIn = (text: string | undefined, path: string) =>
  new RegExp(`https?://\\S+${path}\\?token=([A-Za-z0-9_-]+)`).exec(text ?? '')?.[1];

describe('public rights intake verified by email', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('privacy-intake-email', { withResend: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Fills in the form, reads the emailed link from the fake Resend and confirms it: the request's code. */
  const askAndConfirm = async (email: string, form: Record<string, string>) => {
    const res = await request(h.app)
      .post('/data-requests')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, email, ...form });
    expect(res.status).toBe(202);
    expect(res.body.verification).toBe('email_sent');
    const token = linkIn(h.resend!.emailsTo(email)[0]?.text, '/data-deletion/verify');
    expect(token).toBeTruthy();
    return token!;
  };

  it('files an access request only once the emailed link is confirmed, tells the person at receipt and at completion, and mails the export as a one-time link', async () => {
    await h.models.Lead.create({ _id: 'lead_erin', businessId: DEMO.businessId, channel: 'web', email: 'erin@example.com', name: 'Erin' });
    const token = await askAndConfirm('erin@example.com', { kind: 'access' });
    expect(h.resend!.emailsTo('erin@example.com')[0]!.subject).toBe('Confirm your data request');
    expect((await request(h.app).get(`/data-deletion/verify?token=${token}`)).text).toContain('Send my request');
    expect(await h.models.PrivacyRequest.countDocuments({ kind: 'access' })).toBe(0);

    const before = Date.now();
    const confirmed = await request(h.app).post('/data-deletion/verify').set('Accept', 'application/json').send({ token });
    expect(confirmed.status).toBe(202);
    const code = confirmed.body.confirmationCode as string;
    const handle = h.client.workflow.getHandle(privacyRequestWorkflowId('access', code));
    expect((await handle.describe()).type).toBe('rightsRequestWorkflow');
    await handle.result();

    // Received when confirmed; due 30 days later.
    const row = (await h.models.PrivacyRequest.findById(code).select('+exportLinkHash').lean())!;
    expect(row).toMatchObject({ kind: 'access', source: 'form', status: 'completed', requestedByType: 'subject' });
    expect(row.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.dueAt.getTime() - row.receivedAt.getTime()).toBe(30 * DAY_MS);

    const mails = h.resend!.emailsTo('erin@example.com');
    expect(mails.map((m) => m.subject)).toEqual([
      'Confirm your data request',
      `We received your data request (${code})`,
      `Your data request is complete (${code})`,
    ]);
    expect(mails[1]!.text).toContain(new Date(row.dueAt).toISOString().slice(0, 10));
    const download = linkIn(mails[2]!.text, '/data-requests/export');
    expect(download).toMatch(/^[a-f0-9]{48}$/);
    // At rest only its hash; in Temporal's history neither the token, the address nor the export in plain text.
    expect(row.exportLinkHash).toBe(createHash('sha256').update(`export-link:${download}`).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(download);
    const history = JSON.stringify(await handle.fetchHistory());
    for (const secret of [download!, 'erin@example.com', Buffer.from('erin@example.com').toString('base64')])
      expect(history).not.toContain(secret);

    expect((await request(h.app).get(`/data-requests/export?token=${download}`)).text).toContain('Download my data');
    const file = await request(h.app).post('/data-requests/export').type('form').send({ token: download });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/attachment/);
    expect(JSON.parse(file.text)).toMatchObject({
      requestId: code,
      leads: [expect.objectContaining({ id: 'lead_erin', email: 'erin@example.com' })],
    });
    // The status page speaks of this right, not of a deletion.
    const status = await request(h.app).get(`/data-deletion/${code}`);
    expect(status.text).toContain('download link');
    expect(status.text).not.toMatch(/has been deleted/);
    // Once only.
    const again = await request(h.app).post('/data-requests/export').set('Accept', 'application/json').send({ token: download });
    expect(again.status).toBe(410);
  });

  it('refuses an export link after it expired', async () => {
    await h.models.Lead.create({ _id: 'lead_finn', businessId: DEMO.businessId, channel: 'web', email: 'finn@example.com' });
    const token = await askAndConfirm('finn@example.com', { kind: 'access' });
    const code = (await request(h.app).post('/data-deletion/verify').set('Accept', 'application/json').send({ token })).body
      .confirmationCode as string;
    await h.client.workflow.getHandle(privacyRequestWorkflowId('access', code)).result();
    const download = linkIn(h.resend!.emailsTo('finn@example.com').at(-1)?.text, '/data-requests/export');
    await h.models.PrivacyRequest.updateOne({ _id: code }, { $set: { exportLinkExpiresAt: new Date(Date.now() - 1000) } });
    const res = await request(h.app).post('/data-requests/export').set('Accept', 'application/json').send({ token: download });
    expect(res.status).toBe(410);
  });

  it('files a correction with the right values from the form, and refuses a correction that gives none', async () => {
    const refused = await request(h.app)
      .post('/data-requests')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, email: 'gail@example.com', kind: 'correction' });
    expect(refused.status).toBe(400);
    await h.models.Lead.create({ _id: 'lead_gail', businessId: DEMO.businessId, channel: 'web', email: 'gail@example.com', name: 'Gale' });
    const token = await askAndConfirm('gail@example.com', { kind: 'correction', correctName: 'Gail' });
    const code = (await request(h.app).post('/data-deletion/verify').set('Accept', 'application/json').send({ token })).body
      .confirmationCode as string;
    await h.client.workflow.getHandle(privacyRequestWorkflowId('correction', code)).result();
    expect((await h.models.Lead.findById('lead_gail').lean())?.name).toBe('Gail');
  });
});

describe('a request emailed to the privacy address, filed by compliance', () => {
  let h: Harness;
  let staffToken: string;
  beforeAll(async () => {
    h = await startHarness('privacy-intake-emailed', { withResend: true });
    const staff = await signUp(h.app, { name: 'Compliance Officer', businessName: 'LuxLeads staff' });
    await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'compliance' } });
    staffToken = staff.token;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('counts the deadline from when the email arrived and tells the sender at receipt and at completion', async () => {
    const file = (body: Record<string, unknown>) =>
      request(h.app).post('/api/v1/compliance/rights-requests').set(bearer(staffToken)).send(body);
    const base = { kind: 'deletion', subject: { email: 'hana@example.com' }, businessId: DEMO.businessId, replyTo: 'hana@example.com' };
    expect((await file({ ...base, receivedAt: new Date(Date.now() + DAY_MS).toISOString() })).status).toBe(400);

    const arrived = new Date(Date.now() - 3 * DAY_MS);
    const res = await file({ ...base, receivedAt: arrived.toISOString() });
    expect(res.status).toBe(202);
    const row = (await h.models.PrivacyRequest.findById(res.body.id).lean())!;
    await h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', row._id)).result();
    const done = (await h.models.PrivacyRequest.findById(row._id).lean())!;
    expect(done.receivedAt.toISOString()).toBe(arrived.toISOString());
    expect(done.dueAt.getTime() - arrived.getTime()).toBe(30 * DAY_MS);
    const mails = h.resend!.emailsTo('hana@example.com');
    expect(mails.map((m) => m.subject)).toEqual([
      `We received your data request (${row._id})`,
      `Your data request is complete (${row._id})`,
    ]);
    expect(mails[0]!.text).toContain(new Date(arrived.getTime() + 30 * DAY_MS).toISOString().slice(0, 10));
  });
});

describe("the website chat's link to the request form", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('privacy-intake-chat');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('carries a signed short-lived token of the session, not the session id, and the form files the request from it with its confirmation code', async () => {
    const session = await request(h.app).post('/widget/v1/sessions').set('origin', ORIGIN).send({ key: DEMO.publishableKey });
    const sessionId = session.body.sessionId as string;
    const url = new URL(session.body.config.dataRequestUrl as string);
    expect(url.pathname).toBe('/data-requests');
    expect(url.searchParams.get('key')).toBe(DEMO.publishableKey);
    expect(url.href).not.toContain(sessionId);
    const chat = url.searchParams.get('chat')!;

    const page = await request(h.app).get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`name="chat" value="${chat}"`);

    const filed = await request(h.app).post('/data-requests').type('form').send({ kind: 'deletion', business: DEMO.publishableKey, chat });
    expect(filed.status).toBe(202);
    const code = /confirmation code is ([a-f0-9]{24})/.exec(filed.text)?.[1];
    expect(code).toBeTruthy();
    const row = await h.models.PrivacyRequest.findById(code).lean();
    expect(row).toMatchObject({ kind: 'deletion', source: 'form', businessId: DEMO.businessId });
    await h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', code!)).result();
  });

  it('refuses a raw session id, an expired token and a token of another business as the chat proof', async () => {
    const sessionId = sessionIdsFromConfig(h.config).issue(DEMO.businessId);
    const ring = h.config.ENCRYPTION_KEY;
    const proofs = [
      sessionId,
      sealChatLinkToken(ring, { sessionId, businessId: DEMO.businessId }, Date.now() - 3 * 60 * 60 * 1000),
      sealChatLinkToken(ring, { sessionId: sessionIdsFromConfig(h.config).issue('biz_other'), businessId: 'biz_other' }),
    ];
    for (const chat of proofs) {
      const res = await request(h.app)
        .post('/data-requests')
        .set('Accept', 'application/json')
        .send({ kind: 'access', business: DEMO.publishableKey, chat });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_session');
    }
  });
});
