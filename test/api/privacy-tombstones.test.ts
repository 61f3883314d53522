/**
 * Erasure and objection last (lib/privacy-tombstones.ts): a Meta redelivery or a widget retry after a deletion
 * brings nothing back, and an objection still holds once the 90-day purge has removed the thread.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { deleteWorkflowRuns } from '../../activities/privacy/workflow-erasure.js';
import { DEMO } from '../../domain/demo-seed.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import type { ConversationKey } from '../../domain/conversation.js';
import type { PrivacyRequestKind } from '../../domain/privacy-requests.js';
import { bearer, signUp } from '../helpers/accounts.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness, workflowExists as anyRunOf } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';

const ORIGIN = 'http://127.0.0.1:3000';
let h: Harness;
let complianceToken: string;

beforeAll(async () => {
  h = await startHarness('privacy-tombstones', { withOpenAI: true });
  const staff = await signUp(h.app, { name: 'Compliance Officer', businessName: 'LuxLeads staff' });
  await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'compliance' } });
  complianceToken = staff.token;
});
afterAll(async () => {
  await h?.stop();
});

const postWebhook = (body: unknown) => {
  const { raw, signature } = signed(metaJson(body), TEST_APP_SECRET);
  return request(h.app).post('/webhooks/meta').set('content-type', 'application/json').set('x-hub-signature-256', signature).send(raw);
};
const messengerBody = (psid: string, text: string, m: string, timestamp: number) =>
  webhookBody('page', [
    { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId: psid, text, mid: m, timestamp })] },
  ]);

const requestAbout = async (kind: PrivacyRequestKind, subject: Record<string, string>) => {
  const res = await request(h.app)
    .post('/api/v1/compliance/rights-requests')
    .set(bearer(complianceToken))
    .send({ kind, businessId: DEMO.businessId, subject });
  expect(res.status).toBe(202);
  await h.client.workflow.getHandle(privacyRequestWorkflowId(kind, res.body.id)).result();
  return res.body.id as string;
};

/** Whether any run of the thread's workflow exists; the hand-off happens before the webhook answers, so no waiting is needed. */
const workflowExists = (workflowId: string) => anyRunOf(h.client, workflowId);
const gone = (workflowId: string) =>
  eventually(async () => !(await workflowExists(workflowId)), { what: `${workflowId} deleted`, timeoutMs: 45_000 });

describe('tombstones', () => {
  it('acknowledges a Meta redelivery after the deletion completed and recreates nothing; a later message starts afresh', async () => {
    const psid = 'psid-tomb-erase';
    const key: ConversationKey = { businessId: DEMO.businessId, channel: 'messenger', contactId: psid };
    const original = messengerBody(psid, "Hi, I'm Erin, erin@example.com, can I book?", mid(), Date.now());
    expect((await postWebhook(original)).status).toBe(200);
    await eventually(() => h.graph.messagesTo(psid).length === 1, { what: 'first reply' });
    await eventually(() => h.models.Lead.findOne({ contactKeys: `messenger:${psid}` }).lean(), { what: 'lead' });

    const requestId = await requestAbout('deletion', { channel: 'messenger', contactId: psid });
    const workflowId = h.dispatcher.workflowIdFor(key);
    await gone(workflowId);
    const steps = (await h.models.PrivacyRequest.findById(requestId).lean())!.steps.map((s) => s.name);
    expect(steps.slice(0, 2)).toEqual(['find_subject_records', 'record_tombstones']);

    // Meta redelivers the same event (same mid, same timestamp) after the erasure.
    const repliesBefore = h.graph.messagesTo(psid).length;
    const redelivered = await postWebhook(original);
    expect(redelivered.status).toBe(200);
    expect(await workflowExists(workflowId)).toBe(false);
    expect(await h.models.Conversation.countDocuments({ contactId: psid })).toBe(0);
    expect(await h.models.Lead.countDocuments({ contactKeys: `messenger:${psid}` })).toBe(0);
    expect(await h.models.Message.countDocuments({ conversationId: workflowId })).toBe(0);
    expect(h.graph.messagesTo(psid)).toHaveLength(repliesBefore);
    // The tombstone holds hashes only.
    const tombstones = JSON.stringify(await h.models.PrivacyTombstone.find().lean());
    for (const pii of [psid, 'erin@example.com', 'Erin']) expect(tombstones).not.toContain(pii);

    // Writing again later is a new conversation, not a redelivery.
    expect((await postWebhook(messengerBody(psid, 'Hello again', mid(), Date.now()))).status).toBe(200);
    await eventually(() => h.graph.messagesTo(psid).length === repliesBefore + 1, { what: 'a reply to the new message' });
  });

  it('drops a widget retry after the session was erased and gives the visitor a new session', async () => {
    const session = await request(h.app).post('/widget/v1/sessions').set('origin', ORIGIN).send({ key: DEMO.publishableKey });
    expect(session.status).toBe(200);
    const sessionId = session.body.sessionId as string;
    const key: ConversationKey = { businessId: DEMO.businessId, channel: 'web', contactId: sessionId };
    const clientMessageId = randomUUID();
    const send = () =>
      request(h.app)
        .post('/widget/v1/messages')
        .set('origin', ORIGIN)
        .send({ key: DEMO.publishableKey, sessionId, text: 'Hi, I am Wendy, wendy@example.com', clientMessageId });
    expect((await send()).status).toBe(202);
    const workflowId = h.dispatcher.workflowIdFor(key);
    await eventually(() => h.models.Message.findOne({ conversationId: workflowId, direction: 'outbound' }).lean(), {
      what: 'widget reply',
    });

    await requestAbout('deletion', { channel: 'web', contactId: sessionId });
    await gone(workflowId);

    // The widget retries the message it never saw acknowledged.
    expect((await send()).status).toBe(202);
    expect(await workflowExists(workflowId)).toBe(false);
    expect(await h.models.Conversation.countDocuments({ _id: workflowId })).toBe(0);
    expect(await h.models.Lead.countDocuments({ contactKeys: `web:${sessionId}` })).toBe(0);
    const resumed = await request(h.app).post('/widget/v1/sessions').set('origin', ORIGIN).send({ key: DEMO.publishableKey, sessionId });
    expect(resumed.status).toBe(200);
    expect(resumed.body.sessionId).not.toBe(sessionId);
  });

  it('keeps an objection after the 90-day purge removed the thread: the next message starts nothing and calls no model', async () => {
    const psid = 'psid-tomb-object';
    const key: ConversationKey = { businessId: DEMO.businessId, channel: 'messenger', contactId: psid };
    expect((await postWebhook(messengerBody(psid, 'Hello, do you open on Sundays?', mid(), Date.now()))).status).toBe(200);
    await eventually(() => h.graph.messagesTo(psid).length === 1, { what: 'first reply' });
    await requestAbout('objection', { channel: 'messenger', contactId: psid });

    // What the purge does after 90 quiet days: the records go, then the workflow ends (here: is deleted).
    const workflowId = h.dispatcher.workflowIdFor(key);
    await createActivities(h.activityDeps).purgeConversation({ conversationId: workflowId });
    await deleteWorkflowRuns(h.client, workflowId);
    await gone(workflowId);

    h.openai!.reset();
    expect((await postWebhook(messengerBody(psid, 'Are you open tomorrow?', mid(), Date.now()))).status).toBe(200);
    expect(await workflowExists(workflowId)).toBe(false);
    expect(await h.models.Conversation.countDocuments({ contactId: psid })).toBe(0);
    expect(h.openai!.requests()).toHaveLength(0);
    expect(h.graph.messagesTo(psid)).toHaveLength(1);
  });
});
