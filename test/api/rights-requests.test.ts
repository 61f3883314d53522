import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdsFromConfig } from '../../api/widget/session-id.js';
import { DEMO } from '../../domain/demo-seed.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import { conversationStateQuery } from '../../workflows/conversation.js';
import type { PrivacyRequestKind } from '../../domain/privacy-requests.js';
import { addMember, bearer, signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

const complianceUser = async (h: Harness) => {
  const staff = await signUp(h.app, { name: 'Compliance Officer', businessName: 'LuxLeads staff' });
  await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'compliance' } });
  return staff;
};
const finished = (h: Harness, kind: PrivacyRequestKind, id: string) =>
  h.client.workflow.getHandle(privacyRequestWorkflowId(kind, id)).result();

describe('rights requests: access and correction by a business owner', () => {
  let h: Harness;
  let owner: TestAccount;
  let staff: TestAccount;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    h = await startHarness('rights-access', { withResend: true });
    owner = await signUp(h.app, { businessName: 'Export Clinic' });
    staff = await complianceUser(h);
    const business = await h.models.Business.findById(owner.businessId).lean();
    const sessions = sessionIdsFromConfig(h.config);
    [alice, bob] = [sessions.issue(owner.businessId), sessions.issue(owner.businessId)];
    const say = (contactId: string, text: string) =>
      h.dispatcher.inbound({ businessId: owner.businessId, channel: 'web', contactId }, business!.publishableKey, {
        eventId: mid(),
        kind: 'message',
        text,
        at: Date.now(),
      });
    await say(alice, "Hi, I'm Alice Example, alice@example.com. Can I book a hygienist visit?");
    await say(bob, "Hello, I'm Bob Other, bob@example.com, I have toothache");
    await eventually(
      async () =>
        (await h.models.Lead.countDocuments({ businessId: owner.businessId, email: { $in: ['alice@example.com', 'bob@example.com'] } })) ===
        2,
      { what: 'both leads' },
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('exports everything held on the subject and nothing on anyone else, to the requester and compliance only', async () => {
    const res = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/rights-requests`)
      .set(owner.auth)
      .send({ kind: 'access', subject: { email: 'alice@example.com' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ kind: 'access', source: 'business', businessId: owner.businessId });
    await finished(h, 'access', res.body.id);

    const download = await request(h.app)
      .get(`/api/v1/businesses/${owner.businessId}/rights-requests/${res.body.id}/export`)
      .set(owner.auth);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/attachment/);
    const text = download.text;
    const doc = JSON.parse(text);
    expect(doc.format).toBe('luxleads.subject-export/v1');
    expect(doc.leads).toHaveLength(1);
    expect(doc.leads[0]).toMatchObject({ email: 'alice@example.com', name: 'Alice Example' });
    expect(doc.conversations).toHaveLength(1);
    expect(doc.conversations[0].contactId).toBe(alice);
    expect(doc.conversations[0].messages.map((m: { text: string }) => m.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('hygienist visit')]),
    );
    expect(doc.notifications.length).toBeGreaterThanOrEqual(1);
    for (const other of ['bob@example.com', 'Bob Other', 'toothache', bob]) expect(text).not.toContain(other);

    const coOwner = await addMember(h, owner, 'owner');
    expect(
      (await request(h.app).get(`/api/v1/businesses/${owner.businessId}/rights-requests/${res.body.id}/export`).set(coOwner.auth)).status,
    ).toBe(403);
    expect((await request(h.app).get(`/api/v1/compliance/rights-requests/${res.body.id}/export`).set(bearer(staff.token))).status).toBe(
      200,
    );
    expect((await request(h.app).get(`/api/v1/compliance/rights-requests/${res.body.id}/export`).set(owner.auth)).status).toBe(403);

    const detail = await request(h.app).get(`/api/v1/businesses/${owner.businessId}/rights-requests/${res.body.id}`).set(owner.auth);
    expect(detail.body.status).toBe('completed');
    expect(detail.body.history.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['privacy.access.requested', 'privacy.access.compile_export']),
    );
    expect(JSON.stringify(detail.body)).not.toContain('alice@example.com');
  });

  it('applies a correction to the subject’s lead', async () => {
    const res = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/rights-requests`)
      .set(owner.auth)
      .send({
        kind: 'correction',
        subject: { channel: 'web', contactId: alice },
        correction: { name: 'Alice Corrected', phone: '+44 7700 900777' },
      });
    expect(res.status).toBe(202);
    await finished(h, 'correction', res.body.id);
    const lead = await h.models.Lead.findOne({ businessId: owner.businessId, email: 'alice@example.com' }).lean();
    expect(lead).toMatchObject({ name: 'Alice Corrected', phone: '+44 7700 900777' });
    expect((await h.models.Lead.findOne({ email: 'bob@example.com' }).lean())?.name).toBe('Bob Other');
  });

  it('refuses bad requests, and other tenants, with problems', async () => {
    const base = `/api/v1/businesses/${owner.businessId}/rights-requests`;
    expect(
      (
        await request(h.app)
          .post(base)
          .set(owner.auth)
          .send({ kind: 'correction', subject: { email: 'alice@example.com' } })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(h.app)
          .post(base)
          .set(owner.auth)
          .send({ kind: 'access', subject: { channel: 'web' } })
      ).status,
    ).toBe(400);
    expect((await request(h.app).post(base).set(owner.auth).send({ kind: 'access', subject: {} })).status).toBe(400);
    const stranger = await signUp(h.app, { businessName: 'Someone Else' });
    expect((await request(h.app).get(base).set(stranger.auth)).status).toBe(404);
    expect((await request(h.app).get('/api/v1/compliance/rights-requests').set(owner.auth)).status).toBe(403);
  });

  it('lists requests for compliance with overdue ones first', async () => {
    const now = Date.now();
    const row = (id: string, status: string, dueInDays: number) => ({
      _id: id,
      kind: 'deletion',
      source: 'form',
      status,
      subjectHash: 'h',
      workflowId: `privacy-request:deletion:${id}`,
      requestedByType: 'subject',
      receivedAt: new Date(now - 86_400_000),
      dueAt: new Date(now + dueInDays * 86_400_000),
    });
    await h.models.PrivacyRequest.insertMany([
      row('a'.repeat(24), 'in_progress', 1),
      row('b'.repeat(24), 'overdue', -2),
      row('c'.repeat(24), 'received', 20),
    ]);
    const list = await request(h.app).get('/api/v1/compliance/rights-requests').set(bearer(staff.token));
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ id: 'b'.repeat(24), status: 'overdue' });
    expect(list.body.data[1].id).toBe('a'.repeat(24));
    const overdueOnly = await request(h.app).get('/api/v1/compliance/rights-requests?status=overdue').set(bearer(staff.token));
    expect(overdueOnly.body.data.map((r: { id: string }) => r.id)).toEqual(['b'.repeat(24)]);
  });
});

describe('rights requests: restriction stops the assistant for that person only', () => {
  let h: Harness;
  let staff: TestAccount;
  beforeAll(async () => {
    h = await startHarness('rights-restrict', { withOpenAI: true });
    staff = await complianceUser(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const say = (psid: string, text: string) =>
    h.dispatcher.inbound({ businessId: DEMO.businessId, channel: 'messenger', contactId: psid }, 'ch_demo_messenger', {
      eventId: mid(),
      kind: 'message',
      text,
      at: Date.now(),
    });

  it('puts the person’s threads in restricted mode, tells the business, and makes no further AI calls for them', async () => {
    await say('psid-restrict', 'Hello, do you open on Saturdays?');
    await say('psid-keep', 'Hello, how much is a check-up?');
    await eventually(() => h.graph.messagesTo('psid-restrict').length === 1 && h.graph.messagesTo('psid-keep').length === 1, {
      what: 'first replies',
    });

    const res = await request(h.app)
      .post('/api/v1/compliance/rights-requests')
      .set(bearer(staff.token))
      .send({ kind: 'objection', businessId: DEMO.businessId, subject: { channel: 'messenger', contactId: 'psid-restrict' } });
    expect(res.status).toBe(202);
    const result = await finished(h, 'objection', res.body.id);
    expect(result.counts).toMatchObject({ conversations: 1, workflows: 1, businessesAlerted: 1 });
    const workflowId = h.dispatcher.workflowIdFor({ businessId: DEMO.businessId, channel: 'messenger', contactId: 'psid-restrict' });
    expect((await h.client.workflow.getHandle(workflowId).query(conversationStateQuery)).mode).toBe('restricted');
    expect(await h.models.BusinessAlert.countDocuments({ businessId: DEMO.businessId, kind: 'processing_restricted' })).toBe(1);

    h.openai!.reset();
    // An objection stops all processing: the message is acknowledged but neither stored nor handed to the thread.
    expect(await say('psid-restrict', 'Are you still there? Please answer')).toEqual({ outcome: 'restricted' });
    expect(await h.models.Message.countDocuments({ conversationId: workflowId, text: 'Are you still there? Please answer' })).toBe(0);
    await say('psid-keep', 'And do you do whitening?');
    await eventually(() => h.graph.messagesTo('psid-keep').length === 2, { what: 'the other person still answered' });
    await new Promise((r) => setTimeout(r, 500));
    const prompts = JSON.stringify(h.openai!.requests());
    expect(prompts).toContain('whitening');
    expect(prompts).not.toContain('Are you still there');
    expect(h.graph.messagesTo('psid-restrict')).toHaveLength(1);
  });
});
