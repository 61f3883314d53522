/**
 * OpenAI slow (beyond OPENAI_TIMEOUT_MS), failing with 5xx, or answering invalid JSON: the customer still gets
 * a safe reply, within a bounded time (a functional bound, not a benchmark).
 */
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { MODEL_REPLY_MARK, sandboxReply } from '../../sandbox/fakes/model-output.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';

const OPENAI_TIMEOUT_MS = 1_500;
const REPLY_BOUND_MS = 60_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness('openai-faults', { withOpenAI: true, env: { OPENAI_TIMEOUT_MS: String(OPENAI_TIMEOUT_MS) } });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.openai!.reset();
  h.openai!.respondWithJson(sandboxReply());
});

/** Posts one message and returns the reply text and how long it took, or fails after the bound. */
const askAndTime = async (senderId: string, text: string) => {
  const { raw, signature } = signed(
    metaJson(
      webhookBody('page', [
        { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId, text, mid: mid('oai') })] },
      ]),
    ),
    TEST_APP_SECRET,
  );
  const started = Date.now();
  const res = await request(h.app)
    .post('/webhooks/meta')
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', signature)
    .send(raw);
  expect(res.status).toBe(200);
  const [reply] = await eventually(() => h.graph.messagesTo(senderId).length > 0 && h.graph.messagesTo(senderId), {
    timeoutMs: REPLY_BOUND_MS,
    what: `a reply to ${senderId}`,
  });
  return { reply: reply!, ms: Date.now() - started };
};

/** A reply we can send to a customer: the business's own words or the offline responder's, never model debris. */
const expectSafeReply = (reply: string) => {
  expect(reply.trim().length).toBeGreaterThan(10);
  expect(reply).not.toMatch(/[{}]|undefined|null/);
  expect(reply).not.toContain(MODEL_REPLY_MARK); // the fallback answered, not a half-read model output
  expect(reply).toMatch(/automated assistant/i);
};

it('uses the model when it behaves (baseline)', { timeout: 90_000 }, async () => {
  const { reply } = await askAndTime('psid-oai-ok', 'Hi there');
  expect(reply).toContain(MODEL_REPLY_MARK);
});

describe('when OpenAI misbehaves the customer still gets a safe reply', () => {
  it('is slower than OPENAI_TIMEOUT_MS', { timeout: 90_000 }, async () => {
    h.openai!.delayAll(OPENAI_TIMEOUT_MS * 4);
    const { reply, ms } = await askAndTime('psid-oai-slow', 'Hi, how much is a check-up?');
    expectSafeReply(reply);
    expect(ms).toBeLessThan(REPLY_BOUND_MS);
    expect(h.openai!.requests().length).toBeGreaterThanOrEqual(1);
  });

  it('answers 500 to every request', { timeout: 90_000 }, async () => {
    h.openai!.failNext({ status: 500, times: 100 });
    const { reply, ms } = await askAndTime('psid-oai-500', 'Hello, are you open on Saturday?');
    expectSafeReply(reply);
    expect(ms).toBeLessThan(REPLY_BOUND_MS);
  });

  it('returns invalid JSON, even after the corrective retry', { timeout: 90_000 }, async () => {
    h.openai!.respondInvalidJsonOnce();
    h.openai!.respondInvalidJsonOnce();
    const { reply, ms } = await askAndTime('psid-oai-json', 'Can I book a cleaning next week?');
    expectSafeReply(reply);
    expect(ms).toBeLessThan(REPLY_BOUND_MS);
    expect(h.openai!.requests()).toHaveLength(2);
  });
});
