/**
 * Sending a stored reply is at most once per chunk: the real Graph client against the fake Graph, which can be
 * told to act on a send and then lose the answer (stall or reset). Activities are called directly, as a retry
 * would call them again.
 */
import { createServer } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryActivities } from '../../../activities/conversation/delivery.js';
import { Failure } from '../../../domain/failures.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { GraphError } from '../../../integrations/graph-errors.js';
import { createMetaGraphClient } from '../../../integrations/meta-graph.js';
import { startFakeGraph } from '../../../sandbox/fakes/graph.js';
import { startHarness, TEST_APP_ID, TEST_APP_SECRET, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('delivery-once', { startWorker: false });
});
afterAll(async () => {
  await h?.stop();
});

// Short enough that the stalled sends below end quickly, long enough that a normal send to the local fake never
// times out beside a CPU-heavy neighbour (400 ms did: a healthy send then counted as an unknown outcome).
const GRAPH_TIMEOUT_MS = 2_000;
const activitiesAt = (baseUrl: string) =>
  createDeliveryActivities({
    ...h.activityDeps,
    graph: createMetaGraphClient({
      baseUrl,
      version: h.config.META_GRAPH_VERSION,
      appId: TEST_APP_ID,
      appSecret: TEST_APP_SECRET,
      timeoutMs: GRAPH_TIMEOUT_MS,
    }),
  });

let seq = 0;
/** A Messenger thread with one stored, pending reply. */
const pendingReply = async (text: string) => {
  const n = ++seq;
  const psid = `psid-once-${n}-${Date.now()}`;
  const conversationId = `conv-once-${n}-${Date.now()}`;
  await h.models.Conversation.create({
    _id: conversationId,
    businessId: DEMO.businessId,
    channel: 'messenger',
    channelId: 'ch_demo_messenger',
    contactId: psid,
    workflowId: conversationId,
    lastInboundAt: new Date(),
  });
  const messageId = `${conversationId}|reply:m${n}`;
  await h.models.Message.create({
    _id: messageId,
    conversationId,
    businessId: DEMO.businessId,
    channel: 'messenger',
    direction: 'outbound',
    author: 'assistant',
    text,
    status: 'pending',
    at: new Date(),
  });
  return { psid, conversationId, messageId, input: { conversationId, messageId } };
};
const messageOf = (id: string) => h.models.Message.findById(id).lean();
const alertsOf = () => h.models.BusinessAlert.find({ businessId: DEMO.businessId, kind: 'delivery_unknown' }).lean();

/** A loopback port nothing listens on (yet). */
const closedPort = async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};

describe('deliverReply when Meta acted but the answer was lost', () => {
  for (const mode of ['stall', 'reset'] as const) {
    it(`${mode === 'stall' ? 'times out' : 'is reset'} after the send: one send, marked delivery_unknown, business alerted, never resent`, async () => {
      const deliver = activitiesAt(h.graph.url);
      const r = await pendingReply(`We are open until 6pm (${mode}).`);
      const alertsBefore = (await alertsOf()).length;
      h.graph.acceptThenDrop({ method: 'POST', path: /\/messages$/, mode });

      expect(await deliver.deliverReply(r.input)).toMatchObject({ sent: false, why: 'delivery_unknown' });
      expect(h.graph.messagesTo(r.psid)).toEqual([`We are open until 6pm (${mode}).`]);
      const stored = await messageOf(r.messageId);
      expect(stored).toMatchObject({ status: 'delivery_unknown', statusReason: 'outcome_unknown', sentChunks: 0, attempt: { chunk: 0 } });
      expect(await alertsOf()).toHaveLength(alertsBefore + 1);
      expect(await h.models.Conversation.findById(r.conversationId).lean()).toMatchObject({
        needsReview: true,
        reviewReason: 'delivery_unknown',
      });

      // The retry policy calls again: still unknown, still one send, still one alert.
      expect(await deliver.deliverReply(r.input)).toMatchObject({ sent: false, why: 'delivery_unknown' });
      expect(h.graph.messagesTo(r.psid)).toHaveLength(1);
      expect(await alertsOf()).toHaveLength(alertsBefore + 1);
    });
  }

  it('resends none of the earlier chunks when only the last chunk is unknown', async () => {
    const deliver = activitiesAt(h.graph.url);
    const sentence = 'Our hygienists see patients every weekday and on Saturday mornings. ';
    const r = await pendingReply(sentence.repeat(70)); // ≈ 4,700 characters: three Messenger chunks
    h.graph.acceptThenDrop({ method: 'POST', path: /\/messages$/, mode: 'stall', skip: 2 });

    expect(await deliver.deliverReply(r.input)).toMatchObject({ sent: false, why: 'delivery_unknown' });
    const chunks = h.graph.messagesTo(r.psid);
    expect(chunks).toHaveLength(3);
    const stored = await messageOf(r.messageId);
    expect(stored).toMatchObject({ status: 'delivery_unknown', sentChunks: 2, attempt: { chunk: 2 } });
    expect(stored!.providerMessageIds).toEqual(
      h.graph
        .sentMessages()
        .filter((m) => m.recipientId === r.psid)
        .slice(0, 2)
        .map((m) => m.messageId),
    );

    await deliver.deliverReply(r.input);
    expect(h.graph.messagesTo(r.psid)).toEqual(chunks);
  });
});

describe('deliverReply when the send never left', () => {
  it('retries a refused connection and then sends exactly once', async () => {
    const port = await closedPort();
    const deliver = activitiesAt(`http://127.0.0.1:${port}`);
    const r = await pendingReply('See you at 3pm.');

    const refused = await deliver.deliverReply(r.input).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphError);
    expect(refused).toMatchObject({ isRetryable: true, isOutcomeUnknown: false });
    const afterRefusal = await messageOf(r.messageId);
    expect(afterRefusal).toMatchObject({ status: 'pending', sentChunks: 0 });
    expect(afterRefusal!.attempt).toBeUndefined();

    const graph = await startFakeGraph({ port, appId: TEST_APP_ID, appSecret: TEST_APP_SECRET });
    try {
      graph.addPage({ id: DEMO.messengerPageId, name: 'Bright Smile', token: DEMO.pageToken, igId: DEMO.instagramAccountId });
      expect(await deliver.deliverReply(r.input)).toMatchObject({ sent: true });
      expect(graph.messagesTo(r.psid)).toEqual(['See you at 3pm.']);
      expect(await deliver.deliverReply(r.input)).toMatchObject({ sent: true });
      expect(graph.messagesTo(r.psid)).toHaveLength(1);
    } finally {
      await graph.close();
    }
  });
});

describe('deliverReply and another attempt’s claim', () => {
  it('waits for a claim that may still be in flight, and sends nothing', async () => {
    const deliver = activitiesAt(h.graph.url);
    const r = await pendingReply('Claimed elsewhere.');
    await h.models.Message.updateOne({ _id: r.messageId }, { $set: { attempt: { chunk: 0, token: 'other-attempt', at: new Date() } } });
    const err = await deliver.deliverReply(r.input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(Failure.DeliveryInFlight);
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect((err as ApplicationFailure).nextRetryDelay).toBeGreaterThan(GRAPH_TIMEOUT_MS);
    expect(h.graph.messagesTo(r.psid)).toHaveLength(0);
  });

  it('calls a claim older than one Graph call unknown (its worker died mid-send) instead of sending again', async () => {
    const deliver = activitiesAt(h.graph.url);
    const r = await pendingReply('Claimed by a worker that was killed.');
    await h.models.Message.updateOne(
      { _id: r.messageId },
      { $set: { attempt: { chunk: 0, token: 'dead-attempt', at: new Date(Date.now() - 60_000) } } },
    );
    expect(await deliver.deliverReply(r.input)).toMatchObject({ sent: false, why: 'delivery_unknown' });
    expect(h.graph.messagesTo(r.psid)).toHaveLength(0);
    expect(await messageOf(r.messageId)).toMatchObject({ status: 'delivery_unknown', attempt: { token: 'dead-attempt' } });
  });
});
