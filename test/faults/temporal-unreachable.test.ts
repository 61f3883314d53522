/**
 * Temporal goes away: the webhook answers 503 quickly (Meta will redeliver) instead of hanging on client retries,
 * /readyz names temporal; once the server is back, the redelivered bodies are processed once, nothing lost or doubled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { SEARCH_ATTRIBUTES } from '../../scripts/services/search-attributes.js';
import { startTemporalDevServer, type RunningTemporal } from '../../scripts/services/temporal-dev.js';
import { getFreePort } from '../../scripts/tools/proc.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';

const DISPATCH_TIMEOUT_MS = 1_500;

let h: Harness;
let temporal: RunningTemporal;
let dir: string;
let port: number;

const startTemporal = () =>
  startTemporalDevServer({ dataDir: dir, port, ui: false, searchAttributes: SEARCH_ATTRIBUTES, log: () => undefined });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luxleads-temporal-down-'));
  port = await getFreePort();
  temporal = await startTemporal();
  h = await startHarness('temporal-unreachable', {
    env: { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_DISPATCH_TIMEOUT_MS: String(DISPATCH_TIMEOUT_MS) },
  });
});
afterAll(async () => {
  await h?.stop();
  await temporal?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const body = (senderId: string, text: string) =>
  signed(
    metaJson(
      webhookBody('page', [
        { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId, text, mid: mid('down') })] },
      ]),
    ),
    TEST_APP_SECRET,
  );
const post = (b: { raw: string; signature: string }) =>
  request(h.app).post('/webhooks/meta').set('content-type', 'application/json').set('x-hub-signature-256', b.signature).send(b.raw);
const repliesTo = (psid: string) => h.graph.messagesTo(psid).length;

it('answers 503 fast while Temporal is down and processes the redelivered events once when it is back', { timeout: 180_000 }, async () => {
  expect((await post(body('psid-down-1', 'Hello, do you do check-ups?'))).status).toBe(200);
  await eventually(() => repliesTo('psid-down-1') === 1, { timeoutMs: 30_000, what: 'first reply' });

  await temporal.stop();
  const during = [body('psid-down-1', 'Can I book for Friday?'), body('psid-down-2', 'Hi, how much is whitening?')];
  for (const b of during) {
    const started = Date.now();
    const res = await post(b);
    expect(res.status).toBe(503);
    expect(res.body.type).toMatch(/temporarily-unavailable$/);
    // The dispatch deadline, not the client's minute-long retry loop, decides how long Meta waits.
    expect(Date.now() - started).toBeLessThan(DISPATCH_TIMEOUT_MS + 5_000);
  }
  const ready = await request(h.app).get('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.failing).toContain('temporal');
  expect(ready.body.failing).not.toContain('mongodb');

  temporal = await startTemporal(); // same port, same database file: the earlier workflows are still there
  await eventually(async () => (await request(h.app).get('/readyz')).status === 200, { timeoutMs: 60_000, what: '/readyz 200 again' });

  // Meta redelivers exactly the bytes it sent before; a second redelivery must change nothing.
  for (const b of [...during, ...during]) expect((await post(b)).status).toBe(200);
  await eventually(() => repliesTo('psid-down-1') >= 2 && repliesTo('psid-down-2') >= 1, {
    timeoutMs: 90_000,
    what: 'replies after the outage',
  });
  for (const contactId of ['psid-down-1', 'psid-down-2']) {
    const conversationId = h.dispatcher.workflowIdFor({ businessId: DEMO.businessId, channel: 'messenger', contactId });
    await eventually(() => isWorkflowIdle(h.client, conversationId), { what: `${contactId} settled` });
  }
  expect(repliesTo('psid-down-1')).toBe(2);
  expect(repliesTo('psid-down-2')).toBe(1);
  const inbound = await h.models.Message.find({ direction: 'inbound' }, { externalId: 1 }).lean();
  expect(inbound).toHaveLength(3);
  expect(new Set(inbound.map((m) => m.externalId)).size).toBe(3);
});
