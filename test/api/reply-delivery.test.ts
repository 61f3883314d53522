/**
 * A reply whose send may have reached Meta is never sent again, by the bot or through the dashboard: the
 * ConversationWorkflow and POST …/reply against the fake Graph (accepting a send, then losing its answer).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { createMetaGraphClient } from '../../integrations/meta-graph.js';
import { conversationStateQuery } from '../../workflows/conversation.js';
import { grantAccess, signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, TEST_APP_ID, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

let h: Harness;
let owner: TestAccount;
const base = `/api/v1/businesses/${DEMO.businessId}/conversations`;

beforeAll(async () => {
  h = await startHarness('reply-delivery', { startWorker: false, withResend: true });
  // A short Graph timeout so a stalled answer is given up on quickly (the worker's own client waits 15 s).
  h.activityDeps.graph = createMetaGraphClient({
    baseUrl: h.graph.url,
    version: h.config.META_GRAPH_VERSION,
    appId: TEST_APP_ID,
    appSecret: TEST_APP_SECRET,
    timeoutMs: 1_000,
  });
  await h.startWorker();
  owner = await grantAccess(h.models, await signUp(h.app), DEMO.businessId, 'member');
});
afterAll(async () => {
  await h?.stop();
});

const key = (contactId: string) => ({ businessId: DEMO.businessId, channel: 'messenger' as const, contactId });
const inbound = async (contactId: string, text: string) => {
  await h.dispatcher.inbound(key(contactId), 'ch_demo_messenger', { eventId: mid(), kind: 'message', text, at: Date.now() });
  return h.dispatcher.workflowIdFor(key(contactId));
};
const idle = (workflowId: string) =>
  eventually(async () => !(await h.client.workflow.getHandle(workflowId).query(conversationStateQuery)).isProcessing, {
    what: 'workflow idle',
  });
const postReply = (conversationId: string, text: string) =>
  request(h.app).post(`${base}/${conversationId}/reply`).set(owner.auth).send({ text });
/** Long enough for a retry (1 s backoff, 1 s Graph timeout) to have shown up if one were coming. */
const quietPeriod = () => new Promise((r) => setTimeout(r, 3_000));

describe('the bot', () => {
  it('sends a reply once when Meta takes it but the answer times out, and emails the business to check it', async () => {
    // The first POST to /messages is the typing indicator; the second is the reply.
    h.graph.acceptThenDrop({ method: 'POST', path: /\/messages$/, mode: 'stall', skip: 1 });
    const id = await inbound('psid-bot-unknown', 'Do you do whitening?');
    const reply = await eventually(
      () => h.models.Message.findOne({ conversationId: id, direction: 'outbound', status: 'delivery_unknown' }).lean(),
      { what: 'reply marked delivery_unknown' },
    );
    await idle(id);
    await quietPeriod();
    expect(h.graph.messagesTo('psid-bot-unknown')).toEqual([reply.text]);
    const alert = await eventually(
      () => h.models.BusinessAlert.findOne({ businessId: DEMO.businessId, kind: 'delivery_unknown', notifiedAt: { $exists: true } }).lean(),
      { what: 'alert emailed' },
    );
    expect(alert.message).not.toContain('psid-bot-unknown');
    expect(h.resend!.emailsTo('owner@brightsmile.example').filter((e) => /Check a reply/.test(e.subject))).toHaveLength(1);
    expect(await h.models.Conversation.findById(id).lean()).toMatchObject({ needsReview: true, reviewReason: 'delivery_unknown' });
  });
});

describe('POST …/reply', () => {
  it('answers 202 "unconfirmed" (not 503) when Meta took the message but its answer was lost, and never resends it', async () => {
    const id = await inbound('psid-owner-unknown', 'Can someone call me?');
    await eventually(() => h.graph.messagesTo('psid-owner-unknown').length === 1, { what: 'bot reply' });
    await idle(id);
    h.graph.acceptThenDrop({ method: 'POST', path: /\/messages$/, mode: 'stall' });

    const res = await postReply(id, 'Hi, this is Anna: I will call you at 3pm.');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      delivery: 'unconfirmed',
      message: { author: 'human', status: 'delivery_unknown', text: 'Hi, this is Anna: I will call you at 3pm.' },
    });
    expect(res.body.detail).toMatch(/will not send it again/);
    await quietPeriod();
    expect(h.graph.messagesTo('psid-owner-unknown').filter((t) => t.startsWith('Hi, this is Anna'))).toHaveLength(1);
  });

  it(
    'answers 202 "unconfirmed" with the message pending when the conversation does not answer in time, then delivers it once',
    { timeout: 90_000 },
    async () => {
      const id = await inbound('psid-owner-slow', 'Are you open today?');
      await eventually(() => h.graph.messagesTo('psid-owner-slow').length === 1, { what: 'bot reply' });
      await idle(id);
      await h.stopWorker();
      try {
        const res = await postReply(id, 'Yes, until 6pm. Anna');
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({
          delivery: 'unconfirmed',
          state: null,
          message: { status: 'pending', text: 'Yes, until 6pm. Anna' },
        });
        expect(res.body.detail).toMatch(/Do not send it again/);
      } finally {
        await h.startWorker();
      }
      await eventually(() => h.models.Message.findOne({ conversationId: id, author: 'human', status: 'sent' }).lean(), {
        what: 'reply delivered after the worker came back',
      });
      await quietPeriod();
      expect(h.graph.messagesTo('psid-owner-slow').filter((t) => t === 'Yes, until 6pm. Anna')).toHaveLength(1);
    },
  );
});
