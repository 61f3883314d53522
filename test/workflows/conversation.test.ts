import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnsweredReply } from '../../activities/conversation/reply.js';
import { Failure } from '../../domain/failures.js';
import { leadWebhookDeliveryWorkflowId } from '../../workflows/lead-webhook-delivery.js';
import { notificationDigestWorkflowId } from '../../workflows/notification-digest.js';
import { privacyRequestWorkflowId } from '../../workflows/privacy-request-tracker.js';
import {
  conversationStateQuery,
  conversationWorkflow,
  controlUpdate,
  inboundMessageSignal,
  pageEchoSignal,
  type ConversationChannel,
  type ConversationInput,
  type ConversationSettings,
  type InboundEvent,
} from '../../workflows/conversation.js';
import { eventually } from '../helpers/eventually.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';
import { attemptInfo, startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';
import { HOUR_MS, DAY_MS } from '../../lib/durations.js';

const PAUSE_MINUTES = 60;
/** The activities of a privacy request child (DataDeletionWorkflow) whose person has nothing left to erase. */
const NOTHING_TO_ERASE = {
  async openPrivacyRequest() {},
  async recordPrivacyRequestStep() {},
  async recordPrivacyRequestStatus() {},
  async findSubjectRecords() {
    return { conversationIds: [], leadIds: [], counts: {} };
  },
  async recordPrivacyTombstones() {
    return { counts: { tombstones: 0 } };
  },
  async eraseConversations() {
    return { counts: { conversations: 0, messages: 0, workflowsStopped: 0, workflowRunsDeleted: 0, workflowRunsTerminated: 0 } };
  },
  async eraseLeadEvents() {
    return { counts: { leadEvents: 0, notifications: 0, webhookDeliveries: 0 } };
  },
  async eraseLeads() {
    return { counts: { leads: 0 } };
  },
};
const SETTINGS: ConversationSettings = { burstWindowMs: 0, retentionDays: 90, continueAsNewAfterBatches: 100, maxRememberedIds: 500 };

type Intents = AnsweredReply['intents'];
const NO_INTENTS: Intents = { wantsHuman: false, wantsDeletion: false, wantsStop: false, wantsBooking: false };

/**
 * The conversation's activities as plain functions: every call is recorded (name and server time), replies are
 * delivered inside composeAndDeliverReply unless `deliverSeparately`, `intents` decides what the "model" asked for,
 * and `overrides` replace any activity.
 */
const threadStubs = (
  opts: { intents?: (replyKey: string) => Partial<Intents>; deliverSeparately?: boolean; overrides?: StubActivities } = {},
) => {
  const calls: { name: string; at: number; input: unknown }[] = [];
  const called = (name: string, input: unknown) => calls.push({ name, at: attemptInfo().scheduledAt, input });
  const activities = {
    async recordInbound(input: { events: InboundEvent[] }) {
      called('recordInbound', input);
      return {
        storedCount: input.events.length,
        aiMode: 'auto' as const,
        handoverPauseMinutes: PAUSE_MINUTES,
        isRestricted: false,
        windowExpiresAt: Math.max(...input.events.map((e) => e.at)) + DAY_MS,
      };
    },
    async composeAndDeliverReply(input: { conversationId: string; replyKey: string; isFirstReply: boolean }): Promise<AnsweredReply> {
      called('composeAndDeliverReply', input);
      const intents = { ...NO_INTENTS, ...opts.intents?.(input.replyKey) };
      return {
        intents,
        leadId: 'lead_1',
        replyMessageId: `${input.conversationId}|reply:${input.replyKey}`,
        events: [],
        ...(opts.deliverSeparately ? {} : { delivery: { sent: true, providerMessageIds: [`m_${input.replyKey}`] } }),
      };
    },
    async deliverReply(input: { conversationId: string; messageId: string }) {
      called('deliverReply', input);
      return { sent: true, providerMessageIds: [`m_${input.messageId}`] };
    },
    async captureLead(input: { conversationId: string }) {
      called('captureLead', input);
      return { leadId: 'lead_1', events: [] };
    },
    async setConversationMode(input: { mode: string; pausedUntil?: number }) {
      called('setConversationMode', input);
    },
    async recordHumanEcho(input: unknown) {
      called('recordHumanEcho', input);
    },
    async purgeConversation(input: unknown) {
      called('purgeConversation', input);
      return { deletedMessages: 1 };
    },
    async sendWindowReminder(input: unknown) {
      called('sendWindowReminder', input);
      return { sent: true };
    },
    ...opts.overrides,
  } satisfies StubActivities;
  const named = (name: string) => calls.filter((c) => c.name === name);
  return { calls, named, activities };
};

describe('conversationWorkflow', () => {
  // A test server of its own per test. The time-skipping server keeps a clock lock it took for a task that was in
  // flight when its run was terminated or completed (temporalio/sdk-java#1138, #3088): a later `env.sleep('19
  // hours')` in the same server then runs partly in real time (it once took over 60 s here). With one server per test,
  // nothing a test leaves behind can hold the next one's clock.
  let env: TestWorkflowEnvironment;
  const started: string[] = [];
  beforeEach(async () => {
    env = await startWorkflowEnv();
  });
  afterEach(async () => {
    // Each test's threads end with it, so the server stops with nothing running.
    for (const id of started.splice(0))
      await env.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    await env?.teardown();
  });

  let seq = 0;
  /** A thread of its own; `say` signals-with-start like the webhook does, `settled` waits until it has handled all of it. */
  const thread = async (taskQueue: string, settings: Partial<ConversationSettings> = {}) => {
    const workflowId = uniqueWorkflowId('conversation');
    started.push(workflowId);
    const input: ConversationInput = {
      key: { businessId: 'biz_a', channel: 'messenger', contactId: `psid-${++seq}` },
      channelId: 'ch_a',
      workflowId,
      settings: { ...SETTINGS, ...settings },
    };
    const event = async (eventId: string, text = `message ${eventId}`): Promise<InboundEvent> => ({
      eventId,
      kind: 'message',
      text,
      at: await env.currentTimeMs(),
    });
    const say = async (eventId: string, text?: string) =>
      env.client.workflow.signalWithStart(conversationWorkflow, {
        workflowId,
        taskQueue,
        args: [input],
        signal: inboundMessageSignal,
        signalArgs: [await event(eventId, text)],
      });
    const handle = env.client.workflow.getHandle<typeof conversationWorkflow>(workflowId);
    const settled = () => eventually(() => isWorkflowIdle(env.client, workflowId), { what: 'thread settled' });
    return { workflowId, input, say, handle, settled, state: () => handle.query(conversationStateQuery) };
  };

  it('answers each message once: a redelivered message id is neither stored nor answered again', async () => {
    const stub = threadStubs();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('m1');
      await t.settled();
      await t.say('m1');
      await t.say('m2');
      await t.settled();
      expect(await t.state()).toMatchObject({ mode: 'auto', messageCount: 2, leadId: 'lead_1', isProcessing: false });
    });
    expect(stub.named('recordInbound').map((c) => (c.input as { events: InboundEvent[] }).events.map((e) => e.eventId))).toEqual([
      ['m1'],
      ['m2'],
    ]);
    expect(stub.named('composeAndDeliverReply').map((c) => c.input)).toMatchObject([
      { replyKey: 'm1', isFirstReply: true },
      { replyKey: 'm2', isFirstReply: false },
    ]);
    expect(stub.named('deliverReply')).toEqual([]);
  });

  it('waits out a burst of fragments and answers them with one reply', async () => {
    const stub = threadStubs();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue, { burstWindowMs: 1500 });
      await t.say('hi');
      await t.say('im-sam');
      await t.say('can-i-book');
      await t.settled();
    });
    expect(stub.named('recordInbound')).toHaveLength(1);
    expect(stub.named('composeAndDeliverReply').map((c) => c.input)).toMatchObject([{ replyKey: 'can-i-book' }]);
  });

  it('hands over when the customer asks for a person, and resumes by itself after the business pause', async () => {
    const stub = threadStubs({ intents: () => ({ wantsHuman: true }) });
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('person-please');
      await t.settled();
      const paused = await t.state();
      expect(paused.mode).toBe('paused');
      await env.sleep(`${PAUSE_MINUTES + 1} minutes`);
      await t.settled();
      expect((await t.state()).mode).toBe('auto');
      expect(stub.named('setConversationMode').map((c) => c.input)).toEqual([
        { conversationId: t.workflowId, mode: 'paused', pausedUntil: paused.pausedUntil },
        { conversationId: t.workflowId, mode: 'auto' },
      ]);
      const [pausedAt, resumedAt] = stub.named('setConversationMode').map((c) => c.at);
      expect(paused.pausedUntil! - pausedAt!).toBeGreaterThan((PAUSE_MINUTES - 1) * 60_000);
      expect(resumedAt).toBeGreaterThanOrEqual(paused.pausedUntil!);
    });
  });

  it('pauses when a person answers from Meta Business Suite: later messages are recorded and the lead captured, not answered', async () => {
    const stub = threadStubs();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('m1');
      await t.settled();
      await t.handle.signal(pageEchoSignal, { eventId: 'echo-1', at: await env.currentTimeMs(), text: 'Anna here', fromOurApp: false });
      // Our own reply coming back as an echo is not a person stepping in.
      await t.handle.signal(pageEchoSignal, {
        eventId: 'm_m1',
        at: await env.currentTimeMs(),
        text: 'Happy to help!',
        fromOurApp: 'unknown',
      });
      await t.say('m2');
      await t.settled();
      expect((await t.state()).mode).toBe('paused');
    });
    expect(stub.named('recordHumanEcho')).toHaveLength(1);
    expect(stub.named('composeAndDeliverReply')).toHaveLength(1);
    expect(stub.named('captureLead')).toHaveLength(1);
  });

  it('delivers with the send retry policy when the reply activity could not, without asking the model again', async () => {
    let failures = 2;
    const stub = threadStubs({ deliverSeparately: true });
    const deliverReply = stub.activities.deliverReply;
    stub.activities.deliverReply = async (input) => {
      if (failures-- > 0) {
        attemptInfo();
        throw new Error('graph 500');
      }
      return deliverReply(input);
    };
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('m1');
      await t.settled();
    });
    expect(failures).toBe(-1);
    expect(stub.named('composeAndDeliverReply')).toHaveLength(1);
    expect(stub.named('deliverReply')).toHaveLength(1);
  });

  it('loses only the reply when a step fails for good, never the conversation', async () => {
    const stub = threadStubs({
      overrides: {
        async composeAndDeliverReply(input: { conversationId: string; replyKey: string }): Promise<AnsweredReply> {
          if (input.replyKey === 'm1') throw ApplicationFailure.nonRetryable('conversation record missing', Failure.NotFound);
          return { intents: NO_INTENTS, leadId: 'lead_1', events: [], replyMessageId: `${input.conversationId}|reply:m2` };
        },
      },
    });
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('m1');
      await t.settled();
      await t.say('m2');
      await t.settled();
      expect((await t.state()).messageCount).toBe(2);
    });
    expect(stub.named('deliverReply').map((c) => c.input)).toMatchObject([{ messageId: expect.stringMatching(/reply:m2$/) }]);
  });

  it('purges after the retention period of inactivity; a message that arrives during the purge is answered by a fresh run', async () => {
    let releasePurge!: () => void;
    const purgeHeld = new Promise<void>((r) => (releasePurge = r));
    let purges = 0;
    const stub = threadStubs({
      overrides: {
        async purgeConversation() {
          if (++purges === 1) await purgeHeld;
          return { deletedMessages: 1 };
        },
      },
    });
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue, { retentionDays: 1 });
      const started = await t.say('m1');
      await t.settled();
      const outcome = t.handle.result();
      await eventually(() => purges === 1, { what: 'first purge running' });
      await t.say('during-purge');
      releasePurge();
      // result() follows the chain: the fresh run answers, then purges itself a day later.
      expect(await outcome).toEqual({ reason: 'purged_after_inactivity', messageCount: 1 });
      const first = await env.client.workflow.getHandle(t.workflowId, started.signaledRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
    });
    expect(stub.named('composeAndDeliverReply').map((c) => (c.input as { replyKey: string }).replyKey)).toEqual(['m1', 'during-purge']);
    expect(purges).toBe(2);
    // The fresh run answered right after the purge, a day (the retention) after the first answer.
    const [answered, secondAnswer] = stub.named('composeAndDeliverReply').map((c) => c.at);
    expect(secondAnswer! - answered!).toBeGreaterThanOrEqual(DAY_MS - 1000);
  });

  it('purges the namespace history retention before the retention period, so the closed history is gone by then too', async () => {
    const stub = threadStubs();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue, { retentionDays: 3, historyRetentionHours: 24 });
      await t.say('m1');
      await t.settled();
      expect(await t.handle.result()).toMatchObject({ reason: 'purged_after_inactivity' });
    });
    const [answered] = stub.named('composeAndDeliverReply').map((c) => c.at);
    const [purged] = stub.named('purgeConversation').map((c) => c.at);
    // Two days after the last activity (3 days minus the 24 hours Temporal keeps the closed history), not three.
    expect(purged! - answered!).toBeGreaterThanOrEqual(2 * DAY_MS - 1000);
    expect(purged! - answered!).toBeLessThan(2 * DAY_MS + HOUR_MS);
  });

  it('continues as new after the configured number of batches, carrying what it has seen', async () => {
    const stub = threadStubs();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue, { continueAsNewAfterBatches: 2 });
      for (const id of ['m1', 'm2', 'm3']) {
        await t.say(id);
        await t.settled();
      }
      await t.say('m1');
      await t.settled();
      expect(await t.state()).toMatchObject({ runs: 1, messageCount: 3, leadId: 'lead_1' });
    });
    expect(stub.named('composeAndDeliverReply').map((c) => c.input)).toMatchObject([
      { replyKey: 'm1', isFirstReply: true },
      { replyKey: 'm2', isFirstReply: false },
      { replyKey: 'm3', isFirstReply: false },
    ]);
  });

  it("applies the dashboard's controls in order and refuses a pause outside 1 minute … 30 days before it reaches history", async () => {
    const stub = threadStubs();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('m1');
      await t.settled();
      const refused = await t.handle.executeUpdate(controlUpdate, { args: [{ action: 'pause', minutes: 0 }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const history = await t.handle.fetchHistory();
      expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);

      expect(await t.handle.executeUpdate(controlUpdate, { args: [{ action: 'pause', minutes: 30 }] })).toMatchObject({ mode: 'paused' });
      expect(await t.handle.executeUpdate(controlUpdate, { args: [{ action: 'resume' }] })).toMatchObject({ mode: 'auto' });
      expect(await t.handle.executeUpdate(controlUpdate, { args: [{ action: 'restrict' }] })).toMatchObject({ mode: 'restricted' });
      await t.say('m2');
      await t.settled();
      expect(await t.handle.executeUpdate(controlUpdate, { args: [{ action: 'delete' }] })).toMatchObject({ mode: 'restricted' });
      expect(await t.handle.result()).toEqual({ reason: 'deleted_on_request', messageCount: 2 });
    });
    // Restricted: recorded, never answered, no lead captured either.
    expect(stub.named('composeAndDeliverReply')).toHaveLength(1);
    expect(stub.named('captureLead')).toHaveLength(0);
    expect(stub.named('purgeConversation')).toHaveLength(1);
  });

  it("starts a new lead event's CRM delivery and digest, and a chat deletion request, as its children", async () => {
    const [endpointId, requestId] = [uniqueWorkflowId('lwh'), uniqueWorkflowId('req')];
    const notified: string[] = [];
    const stub = threadStubs({
      intents: () => ({ wantsDeletion: true }),
      overrides: {
        async composeAndDeliverReply(input: { conversationId: string; replyKey: string }): Promise<AnsweredReply> {
          return {
            intents: { ...NO_INTENTS, wantsDeletion: true },
            leadId: 'lead_1',
            replyMessageId: `${input.conversationId}|reply:${input.replyKey}`,
            events: ['evt_1'],
            delivery: { sent: true, providerMessageIds: ['m_1'] },
          };
        },
        async findLeadEventFollowUps(input: { eventIds: string[] }) {
          const retry = { initialRetryMs: 30_000, maxRetryMs: HOUR_MS, giveUpAfterMs: DAY_MS, disableAfterFailures: 5 };
          return {
            leadWebhooks: input.eventIds.map((eventId) => ({ businessId: 'biz_a', endpointId, eventId, retry })),
            digestBusinessIds: ['biz_a'],
          };
        },
        async notifyBusiness(input: { eventId: string }) {
          notified.push(input.eventId);
          return { notified: true };
        },
        async prepareChatPrivacyRequest(input: { channel: ConversationChannel; contactId: string }) {
          const subject = { contacts: [{ channel: input.channel, contactId: input.contactId }] };
          return {
            request: { requestId, kind: 'deletion' as const, source: 'chat' as const, subject, subjectHash: 'h', businessId: 'biz_a' },
            isKnown: false,
          };
        },
        // The children's own activities: the delivery is accepted, the business is in instant mode, the person has nothing left.
        async deliverLeadWebhook() {
          return { status: 'delivered' as const, statusCode: 200 };
        },
        async planDailyDigest() {
          return { status: 'instant_mode' as const };
        },
        ...NOTHING_TO_ERASE,
        async sendChatRequestConfirmation() {
          return { sent: true, providerMessageIds: ['m_code'] };
        },
      },
    });
    const children = [
      leadWebhookDeliveryWorkflowId(endpointId, 'evt_1'),
      notificationDigestWorkflowId('biz_a'),
      privacyRequestWorkflowId('deletion', requestId),
    ];
    const described = await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('delete-my-data', 'please delete my data');
      // Polled, not awaited: awaiting a result lets the test server skip time towards the thread's own timers.
      return eventually(
        async () => {
          const all = await Promise.all(
            children.map((id) =>
              env.client.workflow
                .getHandle(id)
                .describe()
                .catch(() => undefined),
            ),
          );
          return (
            all.every((d) => d?.status.name === 'COMPLETED') &&
            all.map((d) => ({ type: d!.type, parent: d!.parentExecution?.workflowId, thread: t.workflowId }))
          );
        },
        { what: 'children completed' },
      );
    });
    expect(described.map((d) => d.type)).toEqual(['leadWebhookDeliveryWorkflow', 'notificationDigestWorkflow', 'dataDeletionWorkflow']);
    for (const d of described) expect(d.parent).toBe(d.thread);
    expect(notified).toEqual(['evt_1']);
  });

  it('gives the person in the chat the confirmation code of the deletion request it started', async () => {
    const requestId = uniqueWorkflowId('req');
    const confirmations: unknown[] = [];
    const stub = threadStubs({
      intents: () => ({ wantsDeletion: true }),
      overrides: {
        async prepareChatPrivacyRequest(input: { channel: ConversationChannel; contactId: string; replyKey: string }) {
          const subject = { contacts: [{ channel: input.channel, contactId: input.contactId }] };
          return {
            request: { requestId, kind: 'deletion' as const, source: 'chat' as const, subject, subjectHash: 'h', businessId: 'biz_a' },
            isKnown: false,
          };
        },
        async sendChatRequestConfirmation(input: { conversationId: string; requestId: string }) {
          confirmations.push(input);
          return { sent: true, providerMessageIds: ['m_code'] };
        },
        ...NOTHING_TO_ERASE, // the child's own steps
      },
    });
    const threadId = await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('delete-ask', 'please delete my data');
      await eventually(() => confirmations.length === 1, { what: 'confirmation sent' });
      const childHandle = env.client.workflow.getHandle(privacyRequestWorkflowId('deletion', requestId));
      const child = await childHandle.describe();
      expect(child.parentExecution?.workflowId).toBe(t.workflowId);
      // The abandoned child outlives its parent: let it finish while its activities are served. Terminated halfway,
      // its scheduled activity would hold the test server's clock for the tests after this one.
      await childHandle.result();
      return t.workflowId;
    });
    expect(confirmations).toEqual([{ conversationId: threadId, requestId }]);
    expect(stub.named('composeAndDeliverReply')).toHaveLength(1);
  });

  it('sends no confirmation code when the deletion request could not be opened', async () => {
    const confirmations: unknown[] = [];
    const stub = threadStubs({
      intents: () => ({ wantsDeletion: true }),
      overrides: {
        async prepareChatPrivacyRequest() {
          throw ApplicationFailure.nonRetryable('database refused', 'Refused');
        },
        async sendChatRequestConfirmation(input: unknown) {
          confirmations.push(input);
          return { sent: true, providerMessageIds: [] };
        },
      },
    });
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('delete-ask', 'please delete my data');
      await t.settled();
    });
    expect(stub.named('composeAndDeliverReply')).toHaveLength(1);
    expect(confirmations).toHaveLength(0);
  });

  it('reminds the business once, 4 h before the 24 h window closes, while the customer waits for a person', async () => {
    const stub = threadStubs({ intents: () => ({ wantsHuman: true }) });
    await withWorker(env, stub.activities, async (taskQueue) => {
      const t = await thread(taskQueue);
      await t.say('person-please');
      await t.settled();
      const { windowExpiresAt } = await t.state();
      await env.sleep('19 hours');
      await t.settled();
      expect(stub.named('sendWindowReminder')).toHaveLength(0);
      await env.sleep('2 hours');
      await t.settled();
      expect(stub.named('sendWindowReminder').map((c) => c.input)).toMatchObject([{ windowExpiresAt }]);
      const remindedAt = stub.named('sendWindowReminder')[0]!.at;
      expect(windowExpiresAt! - remindedAt).toBeLessThanOrEqual(4 * HOUR_MS);
      await env.sleep('10 hours');
      await t.settled();
    });
    expect(stub.named('sendWindowReminder')).toHaveLength(1);
  });
});
