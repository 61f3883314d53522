/**
 * MongoDB goes away for a while: /readyz answers 503 naming mongodb, webhooks answer 503 (the privacy tombstones
 * cannot be checked) so Meta redelivers, and after the restart the redelivered message is answered once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { startFerretDb, type RunningFerretDb } from '../../scripts/services/ferretdb.js';
import { withDatabase } from '../../scripts/tools/mongo-uri.js';
import { getFreePort } from '../../scripts/tools/proc.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';

let h: Harness;
let ferret: RunningFerretDb;
let dir: string;
let port: number;

const startMongo = () => startFerretDb({ dataDir: dir, port, reuseRunning: false, log: () => undefined });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luxleads-mongo-down-'));
  port = await getFreePort();
  ferret = await startMongo();
  h = await startHarness('mongo-unreachable', { env: { MONGODB_URI: withDatabase(ferret.uri, 'luxleads_mongo_down') } });
});
afterAll(async () => {
  await h?.stop();
  await ferret?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = (senderId: string, text: string, m = mid('mongo')) => {
  const { raw, signature } = signed(
    metaJson(
      webhookBody('page', [
        { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId, text, mid: m })] },
      ]),
    ),
    TEST_APP_SECRET,
  );
  return request(h.app).post('/webhooks/meta').set('content-type', 'application/json').set('x-hub-signature-256', signature).send(raw);
};

it('retries through a MongoDB outage and reports it on /readyz', { timeout: 180_000 }, async () => {
  expect((await post('psid-mongo-1', 'Hello, are you open on Saturday?')).status).toBe(200);
  await eventually(() => h.graph.messagesTo('psid-mongo-1').length === 1, { timeoutMs: 30_000, what: 'first reply' });
  expect((await request(h.app).get('/readyz')).status).toBe(200);

  await ferret.stop();
  const during = mid('mongo');
  // The erasure/objection tombstones cannot be checked without MongoDB, so the event is not taken: 503, and
  // Meta redelivers it later (failing closed rather than processing someone who may have asked us to stop).
  expect((await post('psid-mongo-1', 'Can I book a check-up for Friday?', during)).status).toBe(503);
  const down = await request(h.app).get('/readyz');
  expect(down.status).toBe(503);
  expect(down.body.failing).toEqual(['mongodb']);
  expect(h.graph.messagesTo('psid-mongo-1')).toHaveLength(1);

  ferret = await startMongo(); // same port, same data folder
  await eventually(async () => (await request(h.app).get('/readyz')).status === 200, { timeoutMs: 60_000, what: '/readyz 200 again' });
  // Meta's redelivery of the same event, now taken.
  expect((await post('psid-mongo-1', 'Can I book a check-up for Friday?', during)).status).toBe(200);
  await eventually(() => h.graph.messagesTo('psid-mongo-1').length === 2, { timeoutMs: 90_000, what: 'reply after the outage' });
  const conversationId = h.dispatcher.workflowIdFor({ businessId: DEMO.businessId, channel: 'messenger', contactId: 'psid-mongo-1' });
  await eventually(() => isWorkflowIdle(h.client, conversationId), { what: 'conversation settled' });
  expect(h.graph.messagesTo('psid-mongo-1')).toHaveLength(2);
  expect(await h.models.Message.countDocuments({ externalId: during })).toBe(1);
  expect(await h.models.Message.countDocuments({ direction: 'outbound', status: 'sent' })).toBe(2);
});
