/**
 * Rotating ENCRYPTION_KEY as documented (prepend a new key, keep the old one): threads, leads, request ids,
 * status pages, subject-hash lookups and tombstones made under the old key keep working under the new ring.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { conversationSettingsFrom, createDispatcher } from '../../api/conversations/dispatch.js';
import { createChannelRouter } from '../../api/meta/channel-router.js';
import { signRequest } from '../../api/meta/signed-request.js';
import { createMetrics } from '../../api/metrics.js';
import { loadConfig } from '../../config/load.js';
import { DEMO } from '../../domain/demo-seed.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { privacyRequestsAbout, privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import { buildActivityDeps } from '../../worker/build-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import type { ConversationKey } from '../../domain/conversation.js';
import { bearer, signUp } from '../helpers/accounts.js';
import { workflowBundle } from '../helpers/bundle.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness, workflowExists as anyRunOf } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;

let h: Harness;
let rotated: Awaited<ReturnType<typeof rotate>> | undefined;

/** The same deployment restarted with `k2,k1`: API (app + dispatcher) and worker on the same database and queue. */
const rotate = async (ring: string) => {
  const config = { ...h.config, ENCRYPTION_KEY: loadConfig({ ENCRYPTION_KEY: ring }).ENCRYPTION_KEY };
  const client = new Client({
    connection: h.client.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: getDataConverter(config.ENCRYPTION_KEY),
  });
  const dispatcher = createDispatcher({
    client,
    taskQueue: h.taskQueue,
    models: h.models,
    keyRing: config.ENCRYPTION_KEY,
    settings: conversationSettingsFrom(config),
    workflowIdPrefix: `${h.taskQueue}:`,
  });
  const app = createApp({
    config,
    db: h.db,
    log: h.log,
    dispatcher,
    channelRouter: createChannelRouter(h.models),
    metrics: createMetrics(),
    readiness: {},
  });
  const native = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker: Worker = await createWorker({
    connection: native,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: h.taskQueue,
    keyRing: config.ENCRYPTION_KEY,
    deps: buildActivityDeps(config, h.db, h.log, { temporal: { client, taskQueue: h.taskQueue } }),
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  return {
    config,
    dispatcher,
    app,
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
    },
  };
};

beforeAll(async () => {
  h = await startHarness('key-rotation', { env: { ENCRYPTION_KEY: K1 } });
});
afterAll(async () => {
  await rotated?.stop();
  await h?.stop();
});

const postWebhook = (app: Harness['app'], psid: string, text: string) => {
  const body = webhookBody('page', [
    { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId: psid, text, mid: mid() })] },
  ]);
  const { raw, signature } = signed(metaJson(body), TEST_APP_SECRET);
  return request(app).post('/webhooks/meta').set('content-type', 'application/json').set('x-hub-signature-256', signature).send(raw);
};
const exists = (workflowId: string) => anyRunOf(h.client, workflowId);

describe('ENCRYPTION_KEY rotation', () => {
  it('keeps threads, leads, request codes, subject lookups and objections made under the old key', { timeout: 120_000 }, async () => {
    const psid = 'psid-rotation';
    const key: ConversationKey = { businessId: DEMO.businessId, channel: 'messenger', contactId: psid };
    expect((await postWebhook(h.app, psid, "Hi, I'm Rosa, can I book a check-up?")).status).toBe(200);
    await eventually(() => h.graph.messagesTo(psid).length === 1, { what: 'first reply' });
    const lead = await eventually(() => h.models.Lead.findOne({ contactKeys: `messenger:${psid}` }).lean(), { what: 'lead' });
    const threadId = h.dispatcher.workflowIdFor(key);
    expect(threadId).toMatch(/:messenger:k1\.[0-9a-f]{32}$/);
    expect(threadId).not.toContain(createHash('sha256').update(psid).digest('hex').slice(0, 32));
    const storedBefore = await h.models.Message.countDocuments({ conversationId: threadId });

    // A deletion request with a status page (Meta's callback), and an objection, both under k1.
    const callback = () =>
      request(rotated?.app ?? h.app)
        .post('/webhooks/meta/data-deletion')
        .type('form')
        .send({
          signed_request: signRequest({ algorithm: 'HMAC-SHA256', issued_at: 1_700_000_123, user_id: 'asid-rotation' }, TEST_APP_SECRET),
        });
    const code = (await callback()).body.confirmation_code as string;
    expect(code).toMatch(/^[0-9a-f]{24}$/);
    await h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', code)).result();
    const objector = 'psid-rotation-objector';
    expect((await postWebhook(h.app, objector, 'Hello')).status).toBe(200);
    await eventually(() => h.graph.messagesTo(objector).length === 1, { what: 'objector reply' });
    const staff = await signUp(h.app, { name: 'Compliance Officer', businessName: 'LuxLeads staff' });
    await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'compliance' } });
    const objection = await request(h.app)
      .post('/api/v1/compliance/rights-requests')
      .set(bearer(staff.token))
      .send({ kind: 'objection', businessId: DEMO.businessId, subject: { channel: 'messenger', contactId: objector } });
    await h.client.workflow.getHandle(privacyRequestWorkflowId('objection', objection.body.id)).result();

    await h.stopWorker();
    rotated = await rotate(`${K2},${K1}`);

    // The same person's next message reaches the running k1 thread and its lead; nothing starts under k2.
    expect((await postWebhook(rotated.app, psid, 'Is Saturday morning possible?')).status).toBe(200);
    await eventually(() => h.graph.messagesTo(psid).length === 2, { what: 'reply from the k1 thread' });
    expect(await h.models.Message.countDocuments({ conversationId: threadId })).toBeGreaterThan(storedBefore);
    const newId = rotated.dispatcher.workflowIdFor(key);
    expect(newId).toMatch(/:messenger:k2\./);
    expect(await exists(newId)).toBe(false);
    expect((await h.models.Lead.find({ contactKeys: `messenger:${psid}` }, { _id: 1 }).lean()).map((l) => l._id)).toEqual([lead._id]);

    // The status page still answers, and Meta redelivering its callback gets the same code.
    const status = await request(rotated.app).get(`/data-deletion/${code}`).set('accept', 'application/json');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ confirmationCode: code, status: 'completed' });
    expect((await callback()).body.confirmation_code).toBe(code);
    expect(await h.models.PrivacyRequest.countDocuments({ source: 'meta_callback' })).toBe(1);

    // Subject-hash lookups find the k1 request; the k1 objection still stops the person.
    const about = await privacyRequestsAbout(h.models, rotated.config.ENCRYPTION_KEY, {
      contacts: [{ channel: 'messenger', contactId: objector }],
    });
    expect(about.map((r) => r._id)).toEqual([objection.body.id]);
    expect(
      await rotated.dispatcher.inbound({ ...key, contactId: objector }, 'ch_demo_messenger', {
        eventId: mid(),
        kind: 'message',
        text: 'still there?',
        at: Date.now(),
      }),
    ).toEqual({ outcome: 'restricted' });
    // …and is now also held under k2, so it outlives k1 leaving the ring.
    expect(await h.models.PrivacyTombstone.countDocuments({ keyId: 'k2', kind: 'contact', restrictedAt: { $exists: true } })).toBe(1);
  });
});
