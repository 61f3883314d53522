import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../api/meta/signed-request.js';
import { DEMO } from '../../domain/demo-seed.js';
import { encryptString } from '../../lib/crypto.js';
import { sessionIdsFromConfig } from '../../api/widget/session-id.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';

const callback = (h: Harness, path: string, signed: string) => request(h.app).post(path).type('form').send({ signed_request: signed });
const deletionPayload = (userId: string, issuedAt = 1_700_000_000) => ({
  algorithm: 'HMAC-SHA256',
  issued_at: issuedAt,
  expires: issuedAt + 3600,
  user_id: userId,
});

describe('Meta data deletion and deauthorize callbacks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('data-deletion-api');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('starts one deletion for a Facebook user, erases their Messenger thread found through ids_for_pages, and answers url + code', async () => {
    const key = { businessId: DEMO.businessId, channel: 'messenger' as const, contactId: 'psid-fb-owner' };
    await h.dispatcher.inbound(key, 'ch_demo_messenger', {
      eventId: mid(),
      kind: 'message',
      text: 'Hi, I am Frank, frank@example.com',
      at: Date.now(),
    });
    await eventually(() => h.graph.messagesTo('psid-fb-owner').length === 1, { what: 'reply' });
    h.graph.addIdsForPages('asid-frank', [{ psid: 'psid-fb-owner', pageId: DEMO.messengerPageId }]);

    const signed = signRequest(deletionPayload('asid-frank'), TEST_APP_SECRET);
    const first = await callback(h, '/webhooks/meta/data-deletion', signed);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/application\/json/);
    const code = first.body.confirmation_code as string;
    expect(code).toMatch(/^[a-z0-9]+$/);
    expect(first.body.url).toBe(`${h.config.PUBLIC_URL.replace(/\/$/, '')}/data-deletion/${code}`);

    const second = await callback(h, '/webhooks/meta/data-deletion', signed);
    expect(second.body).toEqual(first.body);

    const handle = h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', code));
    const result = await handle.result();
    expect(result.counts.conversations).toBe(1);
    // Redelivered after completion: still the same code, and no second workflow run.
    const third = await callback(h, '/webhooks/meta/data-deletion', signed);
    expect(third.body.confirmation_code).toBe(code);
    const runs = () => h.client.workflow.count(`WorkflowId = '${handle.workflowId}'`).then((c) => c.count);
    await eventually(async () => (await runs()) >= 1, { what: 'visibility caught up' });
    expect(await runs()).toBe(1);
    expect(await h.models.PrivacyRequest.countDocuments({ source: 'meta_callback' })).toBe(1);

    expect(await h.models.Conversation.countDocuments({ contactId: 'psid-fb-owner' })).toBe(0);
    expect(await h.models.Lead.countDocuments({ email: 'frank@example.com' })).toBe(0);
    await eventually(
      async () => {
        try {
          await h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key)).describe();
          return false;
        } catch (err) {
          return err instanceof WorkflowNotFoundError;
        }
      },
      { what: 'conversation workflow deleted from Temporal' },
    );

    const page = await request(h.app).get(`/data-deletion/${code}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Completed');
    expect(page.text).not.toMatch(/frank|psid-fb-owner|asid-frank/i);
    const json = await request(h.app).get(`/data-deletion/${code}`).set('Accept', 'application/json');
    expect(json.body).toMatchObject({ confirmationCode: code, kind: 'deletion', status: 'completed' });
    expect(Date.parse(json.body.dueAt) - Date.parse(json.body.receivedAt)).toBe(30 * 24 * 3600 * 1000);
    expect(json.body.completedAt).toEqual(expect.any(String));
  });

  it.each([
    [
      'a tampered payload',
      () => {
        const [sig] = signRequest(deletionPayload('asid-x'), TEST_APP_SECRET).split('.');
        return `${sig}.${Buffer.from(JSON.stringify(deletionPayload('asid-y'))).toString('base64url')}`;
      },
    ],
    ['the wrong algorithm', () => signRequest({ ...deletionPayload('asid-x'), algorithm: 'HMAC-SHA1' }, TEST_APP_SECRET)],
    ['garbage', () => 'not-a-signed-request'],
    ['a missing user_id', () => signRequest({ algorithm: 'HMAC-SHA256', issued_at: 1 }, TEST_APP_SECRET)],
  ])('refuses %s with a 400 problem and starts nothing', async (_name, make) => {
    const before = await h.models.PrivacyRequest.countDocuments();
    const res = await callback(h, '/webhooks/meta/data-deletion', make());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await h.models.PrivacyRequest.countDocuments()).toBe(before);
  });

  it('refuses a body without signed_request', async () => {
    expect((await request(h.app).post('/webhooks/meta/data-deletion').send({ user_id: '1' })).status).toBe(400);
  });

  it('answers 404 for an unknown status code, as a page or as JSON', async () => {
    expect((await request(h.app).get('/data-deletion/0123456789abcdef01234567')).status).toBe(404);
    const json = await request(h.app).get('/data-deletion/not-a-code').set('Accept', 'application/json');
    expect(json.status).toBe(404);
  });

  it('deauthorize marks the channels that person connected as needing reconnection and deletes their tokens', async () => {
    const sealed = encryptString(h.config.ENCRYPTION_KEY, 'page-token-x', channelTokenContext('ch_deauth'));
    await h.models.Channel.create({
      _id: 'ch_deauth',
      businessId: DEMO.businessId,
      kind: 'messenger',
      externalId: 'page-deauth',
      pageId: 'page-deauth',
      tokenSealed: sealed,
      connectedByAsid: 'asid-gone',
      status: 'connected',
    });
    const bad = await callback(
      h,
      '/webhooks/meta/deauthorize',
      signRequest({ algorithm: 'HMAC-SHA1', user_id: 'asid-gone' }, TEST_APP_SECRET),
    );
    expect(bad.status).toBe(400);
    expect((await h.models.Channel.findById('ch_deauth').lean())?.status).toBe('connected');

    const res = await callback(
      h,
      '/webhooks/meta/deauthorize',
      signRequest({ algorithm: 'HMAC-SHA256', issued_at: 1_700_000_500, user_id: 'asid-gone' }, TEST_APP_SECRET),
    );
    expect(res.status).toBe(200);
    const channel = await h.models.Channel.findById('ch_deauth').lean();
    expect(channel).toMatchObject({ status: 'needs_reconnect', statusReason: 'deauthorized' });
    expect(channel?.tokenSealed).toBeUndefined();
    expect(await h.models.BusinessAlert.countDocuments({ channelId: 'ch_deauth', kind: 'channel_needs_reconnect' })).toBe(1);
    expect((await h.models.Channel.findById('ch_demo_messenger').lean())?.tokenSealed).toBeTruthy();
  });

  it('the public form starts a deletion for a signed widget session and refuses an unsigned one', async () => {
    const sessions = sessionIdsFromConfig(h.config);
    const refused = await request(h.app)
      .post('/data-deletion')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, widgetSessionId: 'ws_made-up' });
    expect(refused.status).toBe(400);
    const res = await request(h.app)
      .post('/data-deletion')
      .type('form')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, widgetSessionId: sessions.issue(DEMO.businessId) });
    expect(res.status).toBe(202);
    const handle = h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', res.body.confirmationCode));
    expect((await handle.describe()).type).toBe('dataDeletionWorkflow');
    await handle.result();
    const form = await request(h.app).get('/data-deletion');
    expect(form.text).toContain('<form');
  });

  it('without email configured, an email-only form asks the person to use the chat', async () => {
    const res = await request(h.app)
      .post('/data-deletion')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, email: 'someone@example.com' });
    expect(res.status).toBe(200);
    expect(res.body.verification).toBe('chat');
  });
});

describe('public deletion form with email verification', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('data-deletion-form', { withResend: true, env: { RESEND_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('mails a confirmation link; only confirming it (a POST) deletes, and only in that business', async () => {
    await h.models.Lead.create({
      _id: 'lead_form_demo',
      businessId: DEMO.businessId,
      channel: 'web',
      email: 'dana@example.com',
      name: 'Dana',
    });
    await h.models.Lead.create({
      _id: 'lead_form_elsewhere',
      businessId: 'biz_elsewhere',
      channel: 'web',
      email: 'dana@example.com',
      name: 'Dana',
    });
    const res = await request(h.app).post('/data-deletion').type('form').send({ business: DEMO.publishableKey, email: 'Dana@Example.com' });
    expect(res.status).toBe(202);
    expect(res.text).toContain('Check your inbox');
    const [mail] = h.resend!.emailsTo('dana@example.com');
    const link = /https?:\/\/\S+\/data-deletion\/verify\?token=([A-Za-z0-9_-]+)/.exec(mail!.text ?? '');
    expect(link).toBeTruthy();
    const token = link![1]!;

    const confirm = await request(h.app).get(`/data-deletion/verify?token=${token}`);
    expect(confirm.text).toContain('<form');
    expect(await h.models.PrivacyRequest.countDocuments()).toBe(0);

    expect(
      (
        await request(h.app)
          .post('/data-deletion/verify')
          .type('form')
          .send({ token: `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}` })
      ).status,
    ).toBe(400);
    const done = await request(h.app).post('/data-deletion/verify').type('form').send({ token });
    expect(done.status).toBe(303);
    const code = /\/data-deletion\/([a-f0-9]{24})$/.exec(done.headers.location ?? '')![1]!;
    const handle = h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', code));
    expect((await handle.describe()).type).toBe('dataDeletionWorkflow');
    await handle.result();
    expect(await h.models.Lead.countDocuments({ _id: 'lead_form_demo' })).toBe(0);
    expect(await h.models.Lead.countDocuments({ _id: 'lead_form_elsewhere' })).toBe(1);
    // A second click on the same link is the same request.
    const again = await request(h.app).post('/data-deletion/verify').set('Accept', 'application/json').send({ token });
    expect(again.body.confirmationCode).toBe(code);
  });

  it('answers promptly when Resend hangs: the send gives up after RESEND_TIMEOUT_MS', async () => {
    h.resend!.failNext({ method: 'POST', path: /^\/emails$/, status: 200, delayMs: 8_000 });
    const started = Date.now();
    const res = await request(h.app)
      .post('/data-deletion')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, email: 'slow@example.com' });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
