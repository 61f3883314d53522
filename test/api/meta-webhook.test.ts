import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { eventually, startHarness, TEST_APP_ID, TEST_APP_SECRET, TEST_VERIFY_TOKEN, type Harness } from '../helpers/harness.js';
import { echoEvent, messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('meta-webhook');
});
afterAll(async () => {
  await h?.stop();
});

const post = (raw: string, signature?: string) => {
  const req = request(h.app).post('/webhooks/meta').set('content-type', 'application/json');
  if (signature) req.set('x-hub-signature-256', signature);
  return req.send(raw);
};
const postSigned = (body: unknown) => {
  const { raw, signature } = signed(metaJson(body), TEST_APP_SECRET);
  return post(raw, signature);
};
const messenger = (senderId: string, text: string, m?: string) =>
  webhookBody('page', [
    { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId, text, mid: m })] },
  ]);

describe('GET /webhooks/meta handshake', () => {
  it('echoes the challenge as plain text when the verify token matches', async () => {
    const res = await request(h.app)
      .get('/webhooks/meta')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': TEST_VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain');
    expect(res.text).toBe('1158201444');
  });
  it('refuses a wrong token with 403', async () => {
    const res = await request(h.app)
      .get('/webhooks/meta')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/verification-failed$/);
  });
});

describe('POST /webhooks/meta signatures', () => {
  it('rejects a missing signature with 401 and starts nothing', async () => {
    const res = await post(metaJson(messenger('psid-nosig', 'hello')));
    expect(res.status).toBe(401);
    const count = await h.client.workflow.count(`TaskQueue = '${h.taskQueue}'`);
    expect(count.count).toBe(0);
  });
  it('rejects a signature made with another secret', async () => {
    const { raw, signature } = signed(metaJson(messenger('psid-badsig', 'hello')), 'another-secret');
    expect((await post(raw, signature)).status).toBe(401);
  });
  it('rejects a body changed after signing', async () => {
    const { signature } = signed(metaJson(messenger('psid-tamper', 'hello')), TEST_APP_SECRET);
    expect((await post(metaJson(messenger('psid-tamper', 'hellO')), signature)).status).toBe(401);
  });
  it('verifies non-ASCII text escaped the way Meta sends it', async () => {
    const body = messenger('psid-unicode', 'Hallo, äöå – ¿cuánto cuesta? 😀 https://x.y/z');
    const raw = metaJson(body);
    expect(raw).toContain('\\u00e4');
    const res = await post(raw, signed(raw, TEST_APP_SECRET).signature);
    expect(res.status).toBe(200);
    const stored = await eventually(() => h.models.Message.findOne({ direction: 'inbound', text: /cuánto/ }).lean(), {
      what: 'unicode message stored',
    });
    expect(stored.text).toBe('Hallo, äöå – ¿cuánto cuesta? 😀 https://x.y/z');
  });
});

describe('Messenger and Instagram conversations', () => {
  it('answers a Messenger message through the Send API and stores the message and the lead', async () => {
    const res = await postSigned(messenger('psid-sam', "Hi, I'm Sam, can I book a consultation? my number is 07700 900123"));
    expect(res.status).toBe(200);
    expect(res.text).toBe('EVENT_RECEIVED');
    const [send] = await h.graph.waitForCalls(
      (c) =>
        c.method === 'POST' &&
        /\/messages$/.test(c.path) &&
        (c.body as { recipient?: { id?: string }; message?: unknown }).recipient?.id === 'psid-sam' &&
        (c.body as { message?: unknown }).message !== undefined,
      1,
    );
    expect(send!.path).toBe(`/v25.0/${DEMO.messengerPageId}/messages`);
    const body = send!.body as { recipient: { id: string }; messaging_type: string; message: { text: string } };
    expect(body.recipient.id).toBe('psid-sam');
    expect(body.messaging_type).toBe('RESPONSE');
    expect(body.message.text).toMatch(/automated assistant/i);

    const lead = await eventually(() => h.models.Lead.findOne({ contactKeys: 'messenger:psid-sam' }).lean(), { what: 'lead' });
    expect(lead.name).toBe('Sam');
    expect(lead.phone).toBe('+447700900123');
    expect(lead.businessId).toBe(DEMO.businessId);
    const messages = await eventually(
      async () => {
        const rows = await h.models.Message.find({ businessId: DEMO.businessId, conversationId: lead.conversationIds[0] })
          .sort({ at: 1 })
          .lean();
        return rows.length === 2 && rows[1]!.status === 'sent' ? rows : undefined;
      },
      { what: 'inbound + sent reply stored' },
    );
    expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound']);
  });

  it('answers an Instagram message on the Instagram account', async () => {
    const body = webhookBody('instagram', [
      {
        id: DEMO.instagramAccountId,
        messaging: [
          messagingEvent({ pageId: DEMO.instagramAccountId, senderId: 'igsid-lou', text: 'How much is whitening? email lou@example.com' }),
        ],
      },
    ]);
    expect((await postSigned(body)).status).toBe(200);
    const [send] = await h.graph.waitForCalls(
      (c) =>
        /\/messages$/.test(c.path) &&
        (c.body as { recipient?: { id?: string }; message?: unknown }).recipient?.id === 'igsid-lou' &&
        !!(c.body as { message?: unknown }).message,
      1,
    );
    expect(send!.path).toBe(`/v25.0/${DEMO.instagramAccountId}/messages`);
    const lead = await eventually(() => h.models.Lead.findOne({ contactKeys: 'instagram:igsid-lou' }).lean(), { what: 'ig lead' });
    expect(lead.email).toBe('lou@example.com');
  });

  it('answers the same mid delivered three times exactly once', async () => {
    const m = mid();
    for (let i = 0; i < 3; i++) expect((await postSigned(messenger('psid-dup', 'Are you open on Saturday?', m))).status).toBe(200);
    await h.graph.waitForCalls(
      (c) =>
        (c.body as { recipient?: { id?: string }; message?: unknown }).recipient?.id === 'psid-dup' &&
        !!(c.body as { message?: unknown }).message,
      1,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.graph.messagesTo('psid-dup')).toHaveLength(1);
    expect(await h.models.Message.countDocuments({ externalId: m })).toBe(1);
  });

  it('turns a batch of 50 events across 10 users into 10 workflows with every message stored', async () => {
    const users = Array.from({ length: 10 }, (_, i) => `psid-batch-${i}`);
    const messaging = Array.from({ length: 50 }, (_, i) =>
      messagingEvent({ pageId: DEMO.messengerPageId, senderId: users[i % 10]!, text: `message ${i}`, timestamp: Date.now() + i }),
    );
    expect((await postSigned(webhookBody('page', [{ id: DEMO.messengerPageId, messaging }]))).status).toBe(200);
    await eventually(async () => (await h.models.Message.countDocuments({ direction: 'inbound', text: /^message \d+$/ })) === 50, {
      what: '50 stored messages',
    });
    const workflows = await h.client.workflow.count(`TaskQueue = '${h.taskQueue}' AND LuxTenantId = '${DEMO.businessId}'`);
    expect(workflows.count).toBeGreaterThanOrEqual(10);
    const convs = await h.models.Conversation.countDocuments({ contactId: { $in: users } });
    expect(convs).toBe(10);
  });

  it('acknowledges and drops events for unknown pages', async () => {
    const body = webhookBody('page', [
      { id: '999999', messaging: [messagingEvent({ pageId: '999999', senderId: 'psid-x', text: 'hello' })] },
    ]);
    expect((await postSigned(body)).status).toBe(200);
  });

  it('skips a malformed event without failing its batch', async () => {
    const body = webhookBody('page', [
      {
        id: DEMO.messengerPageId,
        messaging: [
          { sender: {}, nonsense: true },
          messagingEvent({ pageId: DEMO.messengerPageId, senderId: 'psid-mixed', text: 'still here' }),
        ],
      },
    ]);
    expect((await postSigned(body)).status).toBe(200);
    await eventually(() => h.models.Message.findOne({ text: 'still here' }).lean(), { what: 'good event of a mixed batch stored' });
  });

  it('never answers reads, deliveries, reactions, standby or our own echoes', async () => {
    const base = { sender: { id: 'psid-quiet' }, recipient: { id: DEMO.messengerPageId }, timestamp: Date.now() };
    const body = {
      object: 'page',
      entry: [
        {
          id: DEMO.messengerPageId,
          time: Date.now(),
          messaging: [
            { ...base, read: { watermark: Date.now() } },
            { ...base, delivery: { watermark: Date.now(), mids: ['m_1'] } },
            { ...base, reaction: { mid: 'm_1', action: 'react', reaction: 'love', emoji: '❤' } },
            echoEvent({ pageId: DEMO.messengerPageId, recipientId: 'psid-quiet', text: 'our own reply', appId: TEST_APP_ID }),
          ],
          standby: [messagingEvent({ pageId: DEMO.messengerPageId, senderId: 'psid-quiet', text: 'owned by another app' })],
        },
      ],
    };
    expect((await postSigned(body)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.graph.messagesTo('psid-quiet')).toHaveLength(0);
    expect(await h.models.Conversation.countDocuments({ contactId: 'psid-quiet' })).toBe(0);
  });

  it('rejects a body that is not a webhook envelope with 400', async () => {
    const { raw, signature } = signed('{"hello":"world"}', TEST_APP_SECRET);
    const res = await post(raw, signature);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
