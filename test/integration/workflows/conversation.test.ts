import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../domain/demo-seed.js';
import { conversationStateQuery } from '../../../workflows/conversation.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';
import { modelOutput } from '../../../sandbox/fakes/model-output.js';

const key = (contactId: string) => ({ businessId: DEMO.businessId, channel: 'messenger' as const, contactId });
const sendInbound = (h: Harness, contactId: string, text: string, m = mid()) =>
  h.dispatcher.inbound(key(contactId), 'ch_demo_messenger', { eventId: m, kind: 'message', text, at: Date.now() });
const repliesTo = (h: Harness, psid: string) => h.graph.messagesTo(psid);
/** Waits until the thread has handled everything sent to it (then "no further reply" can be asserted). */
const settled = (h: Harness, contactId: string) =>
  eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(key(contactId))), { what: `${contactId} settled` });

describe('ConversationWorkflow on the dev server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('conversation-wf', { withOpenAI: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('marks the reply skipped and does not retry when Meta says the window is closed', async () => {
    // The typing indicator is the first POST to /messages; both it and the reply meet the closed window.
    h.graph.failNext({
      method: 'POST',
      path: /\/messages$/,
      status: 400,
      body: { error: { code: 10, error_subcode: 2018278, message: 'outside window' } },
      times: 2,
    });
    await sendInbound(h, 'psid-window', 'hello there');
    const msg = await eventually(() => h.models.Message.findOne({ direction: 'outbound', statusReason: 'window_closed' }).lean(), {
      what: 'reply marked window_closed',
    });
    expect(msg.status).toBe('skipped');
    expect(repliesTo(h, 'psid-window')).toHaveLength(0);
  });

  it('marks the channel as needing reconnection when the page token is rejected', async () => {
    h.graph.failNext({
      method: 'POST',
      path: /\/messages$/,
      status: 400,
      body: { error: { code: 190, error_subcode: 460, message: 'session invalidated' } },
      times: 2,
    });
    await sendInbound(h, 'psid-token', 'hello again');
    const channel = await eventually(
      async () => {
        const c = await h.models.Channel.findById('ch_demo_messenger').lean();
        return c?.status === 'needs_reconnect' ? c : undefined;
      },
      { what: 'channel needs_reconnect' },
    );
    expect(channel.statusReason).toMatch(/190/);
    await h.models.Channel.updateOne({ _id: 'ch_demo_messenger' }, { $set: { status: 'connected' }, $unset: { statusReason: 1 } });
  });

  it('retries rate limits and 5xx from the Send API and then delivers once, without asking the model again', async () => {
    // The typing indicator meets the 500 (cosmetic, ignored); the reply meets the rate limit inside
    // composeAndDeliverReply, so the workflow hands the stored reply to deliverReply and its retry policy.
    h.graph.failNext({ method: 'POST', path: /\/messages$/, status: 500, times: 1 });
    h.graph.failNext({
      method: 'POST',
      path: /\/messages$/,
      status: 400,
      body: { error: { code: 613, message: 'rate limited' } },
      times: 2,
    });
    h.openai!.respondOnce(JSON.stringify(modelOutput({ reply: 'Yes, whitening is £250.' })));
    const modelCallsBefore = h.openai!.requests().length;
    await sendInbound(h, 'psid-retry', 'Do you do whitening?');
    await eventually(() => repliesTo(h, 'psid-retry').length === 1, { what: 'reply after retries', timeoutMs: 30_000 });
    await settled(h, 'psid-retry');
    expect(repliesTo(h, 'psid-retry')).toHaveLength(1);
    expect(h.openai!.requests().length - modelCallsBefore).toBe(1);
    const history = await h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-retry'))).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(expect.arrayContaining(['composeAndDeliverReply', 'deliverReply']));
    const stored = await h.models.Message.find({
      conversationId: h.dispatcher.workflowIdFor(key('psid-retry')),
      direction: 'outbound',
    }).lean();
    expect(stored.map((m) => m.status)).toEqual(['sent']);
  });

  it('answers a message with one activity: model, stored reply and delivery together', async () => {
    await sendInbound(h, 'psid-one-step', 'Are you open on Saturdays?');
    await eventually(() => repliesTo(h, 'psid-one-step').length === 1, { what: 'reply' });
    // The thread records the reply after Meta has it: read once the workflow has finished its work.
    await settled(h, 'psid-one-step');
    const history = await h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-one-step'))).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((name) => name !== 'notifyBusiness' && name !== 'findLeadEventFollowUps')).toEqual(['composeAndDeliverReply']);
    const conv = await h.models.Conversation.findById(h.dispatcher.workflowIdFor(key('psid-one-step'))).lean();
    expect(conv?.recent?.map((r) => r.author)).toEqual(['visitor', 'assistant']);
    expect(conv?.messageCount).toBe(2);
  });

  it('falls back to a safe reply when OpenAI fails', async () => {
    h.openai!.failNext({ path: /chat\/completions/, status: 500, times: 10, headers: { 'retry-after-ms': '10' } });
    await sendInbound(h, 'psid-fallback', 'What are your prices for a check-up?');
    await eventually(() => repliesTo(h, 'psid-fallback').length === 1, { what: 'fallback reply', timeoutMs: 30_000 });
    expect(repliesTo(h, 'psid-fallback')[0]).toMatch(/£55|check-up/i);
  });

  it("builds the system prompt from this business only, never another business's data", async () => {
    await h.models.Business.create({
      _id: 'biz_other',
      name: 'Zebra Legal LLP',
      niche: 'law firm',
      publishableKey: 'pk_other',
      pricing: 'Secret price list 4242',
    });
    await h.models.Channel.create({
      _id: 'ch_other',
      businessId: 'biz_other',
      kind: 'messenger',
      externalId: 'page-other',
      pageId: 'page-other',
      status: 'connected',
    });
    h.openai!.reset();
    h.openai!.respondWithJson(modelOutput());
    await sendInbound(h, 'psid-prompt', 'Hi there');
    await eventually(() => h.openai!.requests().length > 0, { what: 'openai called' });
    const prompt = h.openai!.systemPrompt() ?? '';
    expect(prompt).toContain('Bright Smile Dental Clinic');
    expect(prompt).not.toContain('Zebra Legal');
    expect(prompt).not.toContain('4242');
  });

  it('hands over when the customer asks for a person: tells them, pauses, records the request for the business', async () => {
    h.openai!.reset();
    h.openai!.respondOnce(
      JSON.stringify(
        modelOutput({
          reply: 'Of course — a member of our team will reply here shortly.',
          wantsHuman: true,
          needsHuman: true,
          humanReason: 'requested',
        }),
      ),
    );
    await sendInbound(h, 'psid-agent', 'Can I talk to a real person please?');
    await eventually(() => repliesTo(h, 'psid-agent').length === 1, { what: 'handover reply' });
    expect(repliesTo(h, 'psid-agent')[0]).toMatch(/team will reply/i);
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-agent')));
    // The reply goes out inside the reply activity; the workflow pauses right after it (before the next message).
    await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'paused', {
      what: 'paused after the handover reply',
    });
    // Notifying runs after the reply is delivered: wait for it rather than racing it.
    const event = await eventually(
      () =>
        h.models.LeadEvent.findOne({ kind: 'human_requested', conversationId: handle.workflowId, notifiedAt: { $exists: true } }).lean(),
      { what: 'human_requested event notified' },
    );
    expect(event.notifiedAt).toBeDefined();
    await sendInbound(h, 'psid-agent', 'Hello? Anyone?');
    await settled(h, 'psid-agent');
    expect(repliesTo(h, 'psid-agent')).toHaveLength(1);
  });

  it('treats "stop" as an objection: says so, restricts the thread, and answers no more', async () => {
    h.openai!.reset();
    h.openai!.respondOnce(
      JSON.stringify(modelOutput({ reply: "Understood — you won't receive any more automated messages from us here.", wantsStop: true })),
    );
    await sendInbound(h, 'psid-stop', 'STOP');
    await eventually(() => repliesTo(h, 'psid-stop').length === 1, { what: 'acknowledgement' });
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-stop')));
    await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'restricted', {
      what: 'restricted',
      timeoutMs: 30_000,
    });
    // Recorded before the thread was restricted, and kept after the thread is purged.
    expect((await h.dispatcher.tombstoneFor(key('psid-stop')))?.restrictedAt).toBeInstanceOf(Date);
    const request = await h.models.PrivacyRequest.findOne({ kind: 'objection', source: 'chat' }).lean();
    expect(request?.businessId).toBe(DEMO.businessId);
    const before = h.openai!.requests().length;
    await sendInbound(h, 'psid-stop', 'hello?');
    await settled(h, 'psid-stop');
    expect(repliesTo(h, 'psid-stop')).toHaveLength(1);
    expect(h.openai!.requests().length).toBe(before);
  });

  it('pauses when a person replies from Meta Business Suite, still stores messages and captures the lead', async () => {
    await sendInbound(h, 'psid-human', 'Hello');
    await eventually(() => repliesTo(h, 'psid-human').length === 1, { what: 'first reply' });
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-human')));
    await h.dispatcher.echo(key('psid-human'), 'ch_demo_messenger', {
      eventId: mid('echo'),
      at: Date.now(),
      text: 'Hi, this is Anna from reception',
      fromOurApp: false,
    });
    await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'paused', { what: 'paused' });
    await sendInbound(h, 'psid-human', 'Great, I am Priya, my email is priya@example.com');
    const lead = await eventually(() => h.models.Lead.findOne({ contactKeys: 'messenger:psid-human', email: 'priya@example.com' }).lean(), {
      what: 'lead captured while paused',
    });
    expect(lead.name).toBe('Priya');
    await settled(h, 'psid-human');
    expect(repliesTo(h, 'psid-human')).toHaveLength(1);
    const human = await h.models.Message.findOne({ author: 'human' }).lean();
    expect(human?.text).toBe('Hi, this is Anna from reception');
  });
});

describe('ConversationWorkflow with time skipping', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('conversation-ts', { timeSkipping: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('resumes the bot after the handover pause', async () => {
    await sendInbound(h, 'psid-pause', 'Hello');
    await eventually(() => repliesTo(h, 'psid-pause').length === 1, { what: 'first reply' });
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-pause')));
    await h.dispatcher.echo(key('psid-pause'), 'ch_demo_messenger', {
      eventId: mid('echo'),
      at: Date.now(),
      text: 'Owner here',
      fromOurApp: 'unknown',
    });
    await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'paused', { what: 'paused' });
    await h.testEnv!.sleep('13 hours');
    await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'auto', { what: 'resumed after the pause' });
  });

  it('purges messages within 90 days of the last activity (a day early, for the closed history) and keeps the lead', async () => {
    await sendInbound(h, 'psid-purge', "Hi, I'm Alex, 07700 900456");
    await eventually(() => repliesTo(h, 'psid-purge').length === 1, { what: 'reply' });
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-purge')));
    const conversationId = handle.workflowId;
    expect(await h.models.Message.countDocuments({ conversationId })).toBe(2);
    const before = await h.testEnv!.currentTimeMs();
    // 89 days: CONVERSATION_RETENTION_DAYS minus the TEMPORAL_HISTORY_RETENTION_HOURS the closed history is kept.
    expect(h.config.TEMPORAL_HISTORY_RETENTION_HOURS).toBe(24);
    await h.testEnv!.sleep('88 days');
    expect(await h.models.Message.countDocuments({ conversationId })).toBe(2);
    // Our client carries the encryption codec but not the test env's auto-skipping, so skip explicitly.
    await h.testEnv!.sleep('25 hours');
    const outcome = await handle.result();
    expect(outcome.reason).toBe('purged_after_inactivity');
    const elapsed = (await h.testEnv!.currentTimeMs()) - before;
    expect(elapsed).toBeGreaterThanOrEqual(89 * 24 * 3600 * 1000 - 60_000);
    expect(elapsed).toBeLessThanOrEqual(90 * 24 * 3600 * 1000);
    expect(await h.models.Message.countDocuments({ conversationId })).toBe(0);
    expect(await h.models.Conversation.countDocuments({ _id: conversationId })).toBe(0);
    const lead = await h.models.Lead.findOne({ contactKeys: 'messenger:psid-purge' }).lean();
    expect(lead?.phone).toBe('+447700900456');
  });
});

describe('ConversationWorkflow over a long conversation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('conversation-long', { env: { CONVERSATION_CONTINUE_AS_NEW_AFTER: '4', CONVERSATION_BURST_WINDOW_MS: '300' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps working across continue-as-new through 1,000 messages, storing each once', async () => {
    const psid = 'psid-long';
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key(psid)));
    for (let wave = 0; wave < 20; wave++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => sendInbound(h, psid, `wave ${wave} message ${i}`, `m-long-${wave}-${i}`)));
      await eventually(
        async () => (await h.models.Message.countDocuments({ direction: 'inbound', text: new RegExp(`^wave ${wave} `) })) === 50,
        { what: `wave ${wave} stored`, timeoutMs: 90_000 },
      );
    }
    // Redeliver a whole earlier wave: nothing new may be stored.
    await Promise.all(Array.from({ length: 50 }, (_, i) => sendInbound(h, psid, `wave 19 message ${i}`, `m-long-19-${i}`)));
    await sendInbound(h, psid, 'Last one: what time do you open on Monday?', 'm-long-final');
    await eventually(async () => (await h.models.Message.countDocuments({ direction: 'inbound', externalId: 'm-long-final' })) === 1, {
      what: 'final message stored',
    });
    const state = await eventually(
      async () => {
        const s = await handle.query(conversationStateQuery);
        return !s.isProcessing && s.messageCount >= 1001 ? s : undefined;
      },
      { what: 'workflow idle after final message', timeoutMs: 90_000 },
    );
    expect(state.runs).toBeGreaterThanOrEqual(2);
    expect(await h.models.Message.countDocuments({ direction: 'inbound', externalId: /^m-long-/ })).toBe(1001);
    const description = await handle.describe();
    expect(description.historyLength).toBeLessThan(2000);
    await eventually(() => h.graph.messagesTo(psid).some((t) => /opening hours are/i.test(t)), { what: 'reply to the final message' });
    // A volume test: 1,001 messages through real Temporal and MongoDB take ~40 s on a quiet 2-core box and several
    // times that beside a CPU-heavy neighbour; every step above waits on a condition, so only the budget grows.
  }, 300_000);
});

describe('ConversationWorkflow across continue-as-new', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('conversation-carried', { env: { CONVERSATION_CONTINUE_AS_NEW_AFTER: '1', CONVERSATION_BURST_WINDOW_MS: '0' } });
    await h.models.Business.updateOne({ _id: DEMO.businessId }, { $set: { handoverPauseMinutes: 45 } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("keeps the business's handover pause in the carried state: an owner reply after a roll-over pauses for it", async () => {
    await sendInbound(h, 'psid-carried', 'Hello');
    await eventually(() => repliesTo(h, 'psid-carried').length === 1, { what: 'first reply' });
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key('psid-carried')));
    await eventually(async () => (await handle.query(conversationStateQuery)).runs >= 1, { what: 'continued as new' });
    const before = Date.now();
    await h.dispatcher.echo(key('psid-carried'), 'ch_demo_messenger', {
      eventId: mid('echo'),
      at: Date.now(),
      text: 'Anna here, I will take it from here',
      fromOurApp: false,
    });
    const paused = await eventually(
      async () => {
        const s = await handle.query(conversationStateQuery);
        return s.mode === 'paused' ? s : undefined;
      },
      { what: 'paused by the owner reply' },
    );
    expect(Math.round((paused.pausedUntil! - before) / 60_000)).toBe(45);
  });
});
