import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { conversationStateQuery } from '../../workflows/conversation.js';
import { grantAccess, signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

let h: Harness;
let owner: TestAccount;
const DAY = 24 * 60 * 60 * 1000;
const base = `/api/v1/businesses/${DEMO.businessId}/conversations`;

beforeAll(async () => {
  h = await startHarness('conversations-api');
  owner = await grantAccess(h.models, await signUp(h.app), DEMO.businessId, 'member');
});
afterAll(async () => {
  await h?.stop();
});

const key = (contactId: string, channel: 'messenger' | 'instagram' = 'messenger') => ({ businessId: DEMO.businessId, channel, contactId });
const inbound = async (contactId: string, text: string, channel: 'messenger' | 'instagram' = 'messenger') => {
  await h.dispatcher.inbound(key(contactId, channel), channel === 'messenger' ? 'ch_demo_messenger' : 'ch_demo_instagram', {
    eventId: mid(),
    kind: 'message',
    text,
    at: Date.now(),
  });
  return h.dispatcher.workflowIdFor(key(contactId, channel));
};
/** Waits until the workflow has finished its batch: FerretDB updates are read-modify-write, so a test's own
 * update made while an activity still writes the same conversation could be lost. */
const settled = (workflowId: string) =>
  eventually(async () => !(await h.client.workflow.getHandle(workflowId).query(conversationStateQuery)).isProcessing, {
    what: 'workflow idle',
  });
const converse = async (contactId: string, text: string, channel: 'messenger' | 'instagram' = 'messenger') => {
  const before = h.graph.messagesTo(contactId).length;
  const id = await inbound(contactId, text, channel);
  await eventually(() => h.graph.messagesTo(contactId).length > before, { what: `bot reply to ${contactId}` });
  await settled(id);
  return id;
};
const api = {
  get: (path: string, query: Record<string, unknown> = {}) => request(h.app).get(`${base}${path}`).query(query).set(owner.auth),
  post: (path: string, body: object = {}) => request(h.app).post(`${base}${path}`).set(owner.auth).send(body),
  del: (path: string) => request(h.app).delete(`${base}${path}`).set(owner.auth),
};
const sendsTo = (psid: string) => h.graph.sentMessages().filter((m) => m.recipientId === psid);
const modeOf = async (workflowId: string) => (await h.client.workflow.getHandle(workflowId).query(conversationStateQuery)).mode;

describe('conversation list and transcript', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ids.c1 = await converse('psid-c1', 'Hello, do you do whitening?');
    ids.c2 = await converse('psid-c2', 'Can I book a check-up?');
    ids.c3 = await converse('igsid-c3', 'Open on Saturday?', 'instagram');
    await h.models.Conversation.updateOne({ _id: ids.c2 }, { $set: { needsReview: true, reviewReason: 'unsure' } });
  });

  it('lists newest activity first, filters by channel, mode and needsReview, and pages with a cursor', async () => {
    const all = await api.get('');
    expect(all.status).toBe(200);
    expect(all.body.data.map((c: { id: string }) => c.id)).toEqual([ids.c3, ids.c2, ids.c1]);
    expect(JSON.stringify(all.body)).not.toMatch(/psid-c1|contactId/);
    expect((await api.get('', { channel: 'instagram' })).body.data.map((c: { id: string }) => c.id)).toEqual([ids.c3]);
    expect((await api.get('', { needsReview: 'true' })).body.data.map((c: { id: string }) => c.id)).toEqual([ids.c2]);
    expect((await api.get('', { mode: 'paused' })).body.data).toEqual([]);

    const first = await api.get('', { limit: 2 });
    expect(first.body.data).toHaveLength(2);
    const second = await api.get('', { limit: 2, cursor: first.body.nextCursor });
    expect(second.body.data.map((c: { id: string }) => c.id)).toEqual([ids.c1]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows when the 24-hour messaging window closes: 24 hours after the last customer message', async () => {
    // The row's own windowExpiresAt was never written, so the dashboard used to show null for every thread.
    const res = await api.get(`/${ids.c1}`);
    const { lastInboundAt, windowExpiresAt } = res.body.conversation;
    expect(lastInboundAt).toEqual(expect.any(String));
    expect(Date.parse(windowExpiresAt) - Date.parse(lastInboundAt)).toBe(DAY);
    const listed = (await api.get('', { channel: 'instagram' })).body.data[0];
    expect(Date.parse(listed.windowExpiresAt) - Date.parse(listed.lastInboundAt)).toBe(DAY);
  });

  it('refuses unknown filters and operator-shaped queries with 400', async () => {
    for (const query of [{ mode: 'bogus' }, { 'mode[$ne]': 'auto' }, { needsReview: 'yes' }, { sort: 'x' }, { limit: 0 }]) {
      const res = await api.get('', query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('shows one conversation with its transcript in order, paginated', async () => {
    const res = await api.get(`/${ids.c1}`);
    expect(res.status).toBe(200);
    expect(res.body.conversation).toMatchObject({ id: ids.c1, channel: 'messenger', mode: 'auto' });
    expect(res.body.messages.data.map((m: { direction: string; author: string }) => [m.direction, m.author])).toEqual([
      ['inbound', 'visitor'],
      ['outbound', 'assistant'],
    ]);
    const page = await api.get(`/${ids.c1}`, { limit: 1 });
    expect(page.body.messages.data).toHaveLength(1);
    expect((await api.get(`/${ids.c1}`, { limit: 1, cursor: page.body.messages.nextCursor })).body.messages.data[0].direction).toBe(
      'outbound',
    );
  });

  it('hides conversations from other businesses', async () => {
    const stranger = await signUp(h.app);
    expect((await request(h.app).get(base).set(stranger.auth)).status).toBe(404);
    expect((await request(h.app).get(`/api/v1/businesses/${stranger.businessId}/conversations/${ids.c1}`).set(stranger.auth)).status).toBe(
      404,
    );
    expect((await api.get('/conversation:nope')).status).toBe(404);
  });

  it('pauses and resumes the assistant through the workflow', async () => {
    const paused = await api.post(`/${ids.c1}/pause`, { minutes: 30 });
    expect(paused.status).toBe(200);
    expect(paused.body.mode).toBe('paused');
    expect(Date.parse(paused.body.pausedUntil) - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    expect(await modeOf(ids.c1!)).toBe('paused');
    expect((await api.get('', { mode: 'paused' })).body.data.map((c: { id: string }) => c.id)).toEqual([ids.c1]);

    const replies = h.graph.messagesTo('psid-c1').length;
    await inbound('psid-c1', 'Are you still there?');
    await eventually(() => h.models.Message.findOne({ conversationId: ids.c1, text: 'Are you still there?' }).lean(), {
      what: 'message stored while paused',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.graph.messagesTo('psid-c1')).toHaveLength(replies);

    const resumed = await api.post(`/${ids.c1}/resume`);
    expect(resumed.body).toMatchObject({ mode: 'auto', pausedUntil: null });
    expect(await modeOf(ids.c1!)).toBe('auto');
    expect((await api.post(`/${ids.c1}/pause`, { minutes: 0 })).status).toBe(400);
    expect((await api.post(`/${ids.c1}/pause`, { minutes: 5, extra: true })).status).toBe(400);
    expect(await h.models.AuditEntry.countDocuments({ businessId: DEMO.businessId, action: 'conversation.paused', target: ids.c1 })).toBe(
      1,
    );
  });

  it('answers 404 when the conversation workflow no longer exists', async () => {
    const id = await converse('psid-gone', 'hello');
    await h.client.workflow.getHandle(id).terminate('test');
    const res = await api.post(`/${id}/pause`, {});
    expect(res.status).toBe(404);
    const reply = await api.post(`/${id}/reply`, { text: 'anyone?' });
    expect(reply.status).toBe(404);
    expect(await h.models.Message.countDocuments({ conversationId: id, author: 'human' })).toBe(0);
  });
});

describe('human replies', () => {
  it('sends a reply from the dashboard and hands the thread over to the person', async () => {
    const id = await converse('psid-h1', 'I have toothache');
    const res = await api.post(`/${id}/reply`, { text: 'Hi, this is Anna: we can see you at 3pm.' });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({
      author: 'human',
      direction: 'outbound',
      status: 'sent',
      text: 'Hi, this is Anna: we can see you at 3pm.',
    });
    expect(res.body.state.mode).toBe('paused');
    const sent = sendsTo('psid-h1').at(-1)!;
    expect(sent).toMatchObject({ text: 'Hi, this is Anna: we can see you at 3pm.', messagingType: 'RESPONSE' });
    expect(sent.tag).toBeUndefined();
    expect((await api.post(`/${id}/reply`, { text: '   ' })).status).toBe(400);
  });

  it('uses HUMAN_AGENT between 24 hours and 7 days after the last customer message, and refuses after that', async () => {
    const id = await converse('psid-h2', 'Can someone call me back?');
    await h.models.Conversation.updateOne({ _id: id }, { $set: { lastInboundAt: new Date(Date.now() - 3 * DAY) } });
    const late = await api.post(`/${id}/reply`, { text: 'Sorry for the delay, call us on 020 7946 0000.' });
    expect(late.body.message.status).toBe('sent');
    expect(sendsTo('psid-h2').at(-1)).toMatchObject({
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      text: 'Sorry for the delay, call us on 020 7946 0000.',
    });

    await h.models.Conversation.updateOne({ _id: id }, { $set: { lastInboundAt: new Date(Date.now() - 8 * DAY) } });
    const sends = sendsTo('psid-h2').length;
    const tooLate = await api.post(`/${id}/reply`, { text: 'Hello again' });
    expect(tooLate.body.message).toMatchObject({ status: 'skipped', statusReason: 'window_closed' });
    expect(sendsTo('psid-h2')).toHaveLength(sends);
  });
});

describe('drafts', () => {
  beforeAll(async () => {
    await h.models.Business.updateOne({ _id: DEMO.businessId }, { $set: { aiMode: 'draft' } });
  });
  afterAll(async () => {
    await h.models.Business.updateOne({ _id: DEMO.businessId }, { $set: { aiMode: 'auto' } });
  });
  const draftOf = (conversationId: string) =>
    eventually(() => h.models.Message.findOne({ conversationId, status: 'draft' }).lean(), { what: 'draft stored' });

  it('lists drafts, sends an edited one without pausing the assistant, and approves only once', async () => {
    const id = await inbound('psid-d1', 'What are your opening hours?');
    const draft = await draftOf(id);
    expect(sendsTo('psid-d1').filter((m) => m.text)).toHaveLength(0);
    const listed = await api.get('/drafts');
    expect(listed.body.data.map((m: { id: string }) => m.id)).toContain(draft._id);

    const approved = await api.post(`/${id}/drafts/${encodeURIComponent(draft._id)}/approve`, {
      text: 'We are open 8:30 to 18:00 on weekdays.',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.message).toMatchObject({
      id: draft._id,
      author: 'assistant',
      status: 'sent',
      text: 'We are open 8:30 to 18:00 on weekdays.',
    });
    expect(approved.body.state.mode).toBe('auto');
    expect(h.graph.messagesTo('psid-d1')).toEqual(['We are open 8:30 to 18:00 on weekdays.']);
    expect((await api.post(`/${id}/drafts/${encodeURIComponent(draft._id)}/approve`, {})).status).toBe(404);
    expect((await api.get('/drafts')).body.data.map((m: { id: string }) => m.id)).not.toContain(draft._id);
  });

  it('discards a draft, and never sends an approved draft outside the 24-hour window', async () => {
    const id = await inbound('psid-d2', 'Do you take new patients?');
    const first = await draftOf(id);
    expect((await api.del(`/${id}/drafts/${encodeURIComponent(first._id)}`)).status).toBe(204);
    expect(await h.models.Message.countDocuments({ _id: first._id })).toBe(0);
    expect((await api.del(`/${id}/drafts/${encodeURIComponent(first._id)}`)).status).toBe(404);

    await inbound('psid-d2', 'Hello?');
    const second = await draftOf(id);
    await settled(id);
    await h.models.Conversation.updateOne({ _id: id }, { $set: { lastInboundAt: new Date(Date.now() - 2 * DAY) } });
    const res = await api.post(`/${id}/drafts/${encodeURIComponent(second._id)}/approve`, {});
    expect(res.body.message).toMatchObject({ status: 'skipped', statusReason: 'window_closed' });
    expect(sendsTo('psid-d2').filter((m) => m.text)).toHaveLength(0);
  });
});
