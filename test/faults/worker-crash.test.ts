/**
 * The worker process is killed with SIGKILL in the middle of a burst (200 messages, 20 conversations); a new
 * worker takes over. Every message is stored once, every conversation is answered, and no reply goes out twice:
 * a send the killed worker may have made is marked delivery_unknown, never repeated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { sandboxReply } from '../../sandbox/fakes/model-output.js';
import { childEnv, writeWorkflowBundle } from '../helpers/child-env.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';
import { spawnNodeChild, WORKER_READY, type NodeChild } from '../helpers/node-child.js';

const CONVERSATIONS = 20;
const PER_CONVERSATION = 10;

let h: Harness;
let dir: string;
let env: Record<string, string>;
const workers: NodeChild[] = [];

const startWorkerChild = async (name: string) => {
  const w = spawnNodeChild(name, 'worker/main.ts', env, dir);
  workers.push(w);
  await w.waitForOutput(WORKER_READY, 120_000);
  return w;
};

beforeAll(async () => {
  h = await startHarness('worker-crash', { withOpenAI: true, startWorker: false });
  h.openai!.respondWithJson(sandboxReply());
  dir = mkdtempSync(join(tmpdir(), 'luxleads-worker-crash-'));
  env = childEnv(h, { LOG_LEVEL: 'warn', WORKER_WORKFLOW_BUNDLE: await writeWorkflowBundle(dir) });
});
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop('SIGKILL')));
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = async (senderId: string, m: string, text: string) => {
  const { raw, signature } = signed(
    metaJson(
      webhookBody('page', [
        { id: DEMO.messengerPageId, messaging: [messagingEvent({ pageId: DEMO.messengerPageId, senderId, text, mid: m })] },
      ]),
    ),
    TEST_APP_SECRET,
  );
  const res = await request(h.app)
    .post('/webhooks/meta')
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', signature)
    .send(raw);
  expect(res.status).toBe(200);
};

it('loses and duplicates nothing when the worker is SIGKILLed mid-burst', { timeout: 300_000 }, async () => {
  const senders = Array.from({ length: CONVERSATIONS }, (_, i) => `psid-crash-${i}`);
  const mids = senders.map(() => Array.from({ length: PER_CONVERSATION }, () => mid('crash')));
  const conversationIdOf = (senderId: string) =>
    h.dispatcher.workflowIdFor({ businessId: DEMO.businessId, channel: 'messenger', contactId: senderId });

  const first = await startWorkerChild('worker-1');
  let killedAfterRound = -1;
  let killedAt = 0;
  for (let round = 0; round < PER_CONVERSATION; round++) {
    await Promise.all(senders.map((s, c) => post(s, mids[c]![round]!, `message ${round} from ${s}`)));
    if (killedAfterRound < 0 && round >= 3) {
      // Mid-burst: some replies are out, most messages are still being worked on.
      await eventually(() => h.graph.sentMessages().length >= 5, { timeoutMs: 60_000, what: 'first replies before the crash' });
      first.child.kill('SIGKILL');
      await first.exited;
      killedAt = Date.now();
      killedAfterRound = round;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(killedAfterRound).toBeGreaterThanOrEqual(3);
  const repliesBeforeRestart = h.graph.sentMessages().length;
  expect(repliesBeforeRestart).toBeLessThan(CONVERSATIONS * PER_CONVERSATION);
  await startWorkerChild('worker-2');

  // Each conversation's last batch ends with its last message, so that message's reply closes the conversation.
  await eventually(
    async () => {
      const ids = senders.map((s, c) => `${conversationIdOf(s)}|reply:${mids[c]![PER_CONVERSATION - 1]}`);
      return (await h.models.Message.countDocuments({ _id: { $in: ids }, status: 'sent' })) === CONVERSATIONS;
    },
    { timeoutMs: 200_000, what: 'every conversation answered after its last message' },
  );
  for (const s of senders) await eventually(() => isWorkflowIdle(h.client, conversationIdOf(s)), { what: `${s} settled` });

  const inbound = await h.models.Message.find({ direction: 'inbound' }, { externalId: 1, conversationId: 1 }).lean();
  expect(inbound).toHaveLength(CONVERSATIONS * PER_CONVERSATION);
  expect(new Set(inbound.map((m) => m.externalId)).size).toBe(CONVERSATIONS * PER_CONVERSATION);

  const sent = h.graph.sentMessages();
  let unknownAfterCrash = 0;
  let reachedMeta = 0;
  for (const [c, senderId] of senders.entries()) {
    const conversationId = conversationIdOf(senderId);
    expect(inbound.filter((m) => m.conversationId === conversationId)).toHaveLength(PER_CONVERSATION);
    const replies = await h.models.Message.find({ conversationId, direction: 'outbound' }).lean();
    // One reply per batch: the reply id names the batch's last mid, and every batch key is one of this thread's mids.
    expect(replies.length).toBeGreaterThanOrEqual(1);
    for (const r of replies) {
      // delivery_unknown: the killed worker had claimed a chunk and nobody knows whether it went out (left to a person).
      expect(['sent', 'delivery_unknown']).toContain(r.status);
      expect(mids[c]!.map((m) => `${conversationId}|reply:${m}`)).toContain(r._id);
    }
    const unknown = replies.filter((r) => r.status === 'delivery_unknown');
    expect(unknown.length).toBeLessThanOrEqual(1); // the one delivery the kill may have interrupted
    // Answered exactly once: every recorded Send API call is a different chunk, and the new worker sent no copies.
    const toSender = sent.filter((m) => m.recipientId === senderId);
    const recorded = replies.flatMap((r) => r.providerMessageIds);
    expect(new Set(recorded).size).toBe(recorded.length);
    for (const id of recorded) expect(toSender.map((m) => m.messageId)).toContain(id);
    // A send with no record can only be the chunk a killed attempt had claimed: made before the kill, and its reply
    // marked delivery_unknown instead of being sent again (the Send API has no idempotency key).
    const unrecorded = toSender.filter((m) => !recorded.includes(m.messageId));
    expect(unrecorded.length).toBeLessThanOrEqual(unknown.length);
    for (const copy of unrecorded) {
      expect(copy.at).toBeLessThanOrEqual(killedAt);
      expect(unknown.map((r) => r.text)).toContain(copy.text);
    }
    unknownAfterCrash += unknown.length;
    reachedMeta += unrecorded.length;
  }
  // At most one interrupted send per conversation (each conversation has at most one delivery in flight).
  expect(unknownAfterCrash).toBeLessThanOrEqual(CONVERSATIONS);
  console.log(
    `worker killed after round ${killedAfterRound}; ${repliesBeforeRestart} replies before the restart, ${sent.length} Send API calls in all; ${unknownAfterCrash} reply(ies) interrupted by the kill and left for review (${reachedMeta} of them had reached Meta), none repeated`,
  );
});
