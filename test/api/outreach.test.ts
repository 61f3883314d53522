import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outreachSendId, outreachWorkflowId } from '../../domain/outreach/ids.js';
import { signLink } from '../../domain/outreach/link-tokens.js';
import { suppressionOf } from '../../domain/outreach/suppression.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('outreach API', () => {
  let h: Harness;
  let staff: TestAccount;
  let owner: TestAccount;
  const api = () => request(h.app);

  beforeAll(async () => {
    h = await startHarness('outreach-api', { startWorker: false, env: { COMPANY_ADDRESS: '1 Main Street, Luxembourg' } });
    staff = await signUp(h.app, { businessName: 'LuxLeads staff' });
    await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'support' } });
    owner = await signUp(h.app, { businessName: 'A clinic' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is for platform staff only: a business owner gets 403, no token 401', async () => {
    expect((await api().get('/api/v1/outreach/prospects')).status).toBe(401);
    const refused = await api().get('/api/v1/outreach/prospects').set(owner.auth);
    expect(refused.status).toBe(403);
    expect((await api().post('/api/v1/outreach/campaigns').set(owner.auth).send({})).status).toBe(403);
    expect((await api().get('/api/v1/outreach/prospects').set(staff.auth)).status).toBe(200);
  });

  it('imports a CSV and reports the bad rows: bad email, duplicate, already suppressed, already a prospect', async () => {
    await api().post('/api/v1/outreach/suppressions').set(staff.auth).send({ kind: 'email', value: 'gone@optedout.example' }).expect(200);
    await api().post('/api/v1/outreach/suppressions').set(staff.auth).send({ kind: 'domain', value: 'blocked.example' }).expect(200);
    await api()
      .post('/api/v1/outreach/prospects')
      .set(staff.auth)
      .send({ company: 'Known', email: 'known@known.example', source: 'manual' })
      .expect(201);
    const csv = [
      'Company,Email,Contact Name,Website,Timezone',
      'Acme Dental,info@acme.example,Alice,https://acme.example,Europe/Luxembourg',
      '"Smith, Jones & Co",hello@smith.example,,,',
      'Broken,not-an-email,,,',
      'Acme again,INFO@acme.example,,,',
      'Opted out,gone@optedout.example,,,',
      'Whole domain,anyone@blocked.example,,,',
      'Known,known@known.example,,,',
      ',nocompany@x.example,,,',
    ].join('\r\n');
    const res = await api().post('/api/v1/outreach/prospects/import').set(staff.auth).type('text/csv').send(csv);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { line: 4, email: 'not-an-email', reason: 'bad_email' },
      { line: 5, email: 'INFO@acme.example', reason: 'duplicate' },
      { line: 6, email: 'gone@optedout.example', reason: 'suppressed' },
      { line: 7, email: 'anyone@blocked.example', reason: 'suppressed' },
      { line: 8, email: 'known@known.example', reason: 'already_prospect' },
      { line: 9, email: 'nocompany@x.example', reason: 'missing_company' },
    ]);
    const smith = await h.models.OutreachProspect.findOne({ company: 'Smith, Jones & Co' }).lean();
    expect(smith).toMatchObject({ email: 'hello@smith.example', source: 'csv import' });
    expect((await h.models.OutreachProspect.findOne({ email: 'info@acme.example' }).lean())?.timezone).toBe('Europe/Luxembourg');

    const report = await api().get(res.body.reportUrl).set(staff.auth);
    expect(report.status).toBe(200);
    expect(report.type).toBe('text/csv');
    expect(report.text.split('\r\n').slice(0, 3)).toEqual([
      'line,email,reason',
      '4,not-an-email,bad_email',
      '5,INFO@acme.example,duplicate',
    ]);

    const noHeader = await api().post('/api/v1/outreach/prospects/import').set(staff.auth).type('text/csv').send('a,b\n1,2\n');
    expect(noHeader.status).toBe(400);
  });

  it('the opt-out link: GET shows a button, a one-click POST with no cookie suppresses at once and again idempotently', async () => {
    const created = await api()
      .post('/api/v1/outreach/prospects')
      .set(staff.auth)
      .send({ company: 'Optout Ltd', email: 'me@optout.example', source: 'manual' });
    const sendId = outreachSendId(outreachWorkflowId('cmp_test', created.body.id), 0);
    const token = signLink(h.config.ENCRYPTION_KEY, 'opt-out', sendId);

    const page = await api().get(`/outreach/opt-out?t=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
    // Opening the link changes nothing (mail scanners open links).
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, 'me@optout.example')).toBeUndefined();

    for (let i = 0; i < 2; i++) {
      const res = await api().post(`/outreach/opt-out?t=${token}`).type('form').send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(200);
      expect(res.text).toContain('You are unsubscribed');
    }
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, 'me@optout.example')).toBe('email');
    expect(await h.models.OutreachSuppression.countDocuments({ kind: 'email', reason: 'opt-out' })).toBe(1);

    const tampered = `${token.slice(0, -2)}00`;
    expect((await api().post(`/outreach/opt-out?t=${tampered}`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(400);
    // An open-pixel token is not an opt-out token.
    expect(
      (
        await api()
          .post(`/outreach/opt-out?t=${signLink(h.config.ENCRYPTION_KEY, 'open', sendId)}`)
          .type('form')
          .send('')
      ).status,
    ).toBe(400);
  });

  it('campaigns: merge fields are checked, a preview carries identity, address, opt-out link and headers; tracking is off by default', async () => {
    const bad = await api()
      .post('/api/v1/outreach/campaigns')
      .set(staff.auth)
      .send({ name: 'x', senderName: 'Sam', steps: [{ subject: 'Hi {{firstName}}', body: 'b', delayDays: 0 }] });
    expect(bad.status).toBe(400);
    const created = await api()
      .post('/api/v1/outreach/campaigns')
      .set(staff.auth)
      .send({
        name: 'Spring',
        senderName: 'Sam Sender',
        steps: [{ subject: 'Hello {{company}}', body: 'Hi {{contactName | there}}', delayDays: 0 }],
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', isTrackingEnabled: false, dailyCap: 200, perMinute: 10 });
    const preview = await api().post(`/api/v1/outreach/campaigns/${created.body.id}/preview`).set(staff.auth).send({ step: 0 });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Hello Example Dental');
    expect(preview.body.text).toContain('Hi Alex');
    expect(preview.body.text).toContain('1 Main Street, Luxembourg');
    expect(preview.body.text).toContain('/outreach/opt-out?t=');
    expect(preview.body.text).toContain('/privacy');
    expect(preview.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(preview.body.html).not.toContain('/outreach/t/open');
  });

  it('tracking links: the pixel and the signed click redirect stamp the send once and mark the prospect engaged; a changed URL is refused', async () => {
    const created = await api()
      .post('/api/v1/outreach/prospects')
      .set(staff.auth)
      .send({ company: 'Tracked', email: 'me@tracked.example', source: 'manual' });
    const prospectId = created.body.id as string;
    const sendId = outreachSendId(outreachWorkflowId('cmp_track', prospectId), 0);
    await h.models.OutreachSend.create({ _id: sendId, campaignId: 'cmp_track', prospectId, step: 0, sentAt: new Date() });
    const ring = h.config.ENCRYPTION_KEY;

    const pixel = await api().get(`/outreach/t/open?t=${signLink(ring, 'open', sendId)}`);
    expect(pixel.status).toBe(200);
    expect(pixel.type).toBe('image/gif');
    const click = signLink(ring, 'click', sendId, 'https://luxleads.example/demo');
    const redirect = await api().get(`/outreach/t/click?t=${click}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('https://luxleads.example/demo');
    const send = await h.models.OutreachSend.findById(sendId).lean();
    expect(send?.openedAt).toBeInstanceOf(Date);
    expect(send?.clickedAt).toBeInstanceOf(Date);
    expect((await h.models.OutreachProspect.findById(prospectId).lean())?.engagedAt).toBeInstanceOf(Date);

    const [, keyId, mac] = click.split('.');
    const evil = Buffer.from(JSON.stringify(['click', sendId, 'https://evil.example'])).toString('base64url');
    expect((await api().get(`/outreach/t/click?t=${evil}.${keyId}.${mac}`)).status).toBe(400);

    const campaign = await api()
      .post('/api/v1/outreach/campaigns')
      .set(staff.auth)
      .send({
        name: 'Tracked',
        senderName: 'Sam',
        isTrackingEnabled: true,
        steps: [{ subject: 'Hi', body: 'See https://luxleads.example/demo', delayDays: 0 }],
      });
    const preview = await api().post(`/api/v1/outreach/campaigns/${campaign.body.id}/preview`).set(staff.auth).send({ step: 0 });
    expect(preview.body.html).toContain('/outreach/t/open?t=');
    expect(preview.body.text).toContain('/outreach/t/click?t=');
    expect(preview.body.text).not.toContain('See https://luxleads.example/demo');
  });

  it('the Resend webhook refuses every call while RESEND_WEBHOOK_SECRET is unset', async () => {
    const res = await api().post('/webhooks/resend').set('content-type', 'application/json').send('{"type":"email.bounced"}');
    expect(res.status).toBe(503);
  });
});
