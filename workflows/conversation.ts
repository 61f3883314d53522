/**
 * One customer thread (business + channel + person): replies once per burst, never twice per message,
 * pauses when a human steps in, and purges its transcript after the retention period of inactivity (a message
 * that arrives during the purge is answered by a fresh run).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  conversationPurgeAfterMs,
  DEFAULT_HANDOVER_PAUSE_MINUTES,
  isMessageOf,
  MAX_PAUSE_MINUTES,
  type ControlRequest,
  type ConversationKey,
  type ConversationMode,
  type EchoEvent,
  type InboundEvent,
} from '../domain/conversation.js';
import { Failure } from '../domain/failures.js';
import { DAY_MS } from '../lib/durations.js';
import { ConversationModeAttr } from '../temporal/search-attributes.js';
import { rememberIds, workflowNow } from './helpers.js';
import { startLeadEventFollowUps } from './lead-event-follow-ups.js';
import { startPrivacyRequestChild } from './privacy-request-child.js';
import { privacyControlSignal } from './privacy-request-tracker.js';

export * from '../domain/conversation.js';

// ---------------------------------------------------------------------------------------------------------------
// Messages

export const inboundMessageSignal = defineSignal<[InboundEvent]>('inboundMessage');
export const pageEchoSignal = defineSignal<[EchoEvent]>('pageEcho');
/** An update, not a signal: the dashboard needs to know whether the thread still exists and what mode it is in now. */
export const controlUpdate = defineUpdate<ConversationState, [ControlRequest]>('control');
export const conversationStateQuery = defineQuery<ConversationState>('conversationState');

// ---------------------------------------------------------------------------------------------------------------
// Input, carried state and result

export type ConversationSettings = {
  burstWindowMs: number;
  retentionDays: number;
  /** How long Temporal keeps the closed history (namespace retention): the purge runs that much before retentionDays. */
  historyRetentionHours?: number;
  continueAsNewAfterBatches: number;
  maxRememberedIds: number;
};

export type ConversationInput = {
  key: ConversationKey;
  /** Channel document id for Meta channels, business publishable key for the widget. */
  channelId: string;
  workflowId: string;
  settings: ConversationSettings;
  carried?: CarriedState;
};

/** Everything durable about the thread: it travels through continue-as-new, so nothing else may hold state. */
export type CarriedState = {
  seenEventIds: string[];
  sentMessageIds: string[];
  mode: ConversationMode;
  pausedUntil?: number;
  /** The business's pause after a person steps in, as of the last recorded message. */
  handoverPauseMinutes: number;
  hasDisclosed: boolean;
  messageCount: number;
  lastActivityAt?: number;
  windowExpiresAt?: number;
  leadId?: string;
  runs: number;
  /** Customer messages and owner echoes received and not yet handled. */
  pending: InboundEvent[];
  pendingEchoes: EchoEvent[];
  /** Workflow time the customer started waiting for a person; cleared when one replies. */
  humanWaitSince?: number;
  /** The windowExpiresAt a reminder was already sent (or skipped) for. */
  remindedForWindow?: number;
};

export type ConversationOutcome = { reason: 'purged_after_inactivity' | 'deleted_on_request'; messageCount: number };

/** What the dashboard sees (query and control update). */
export type ConversationState = {
  mode: ConversationMode;
  pausedUntil?: number;
  messageCount: number;
  leadId?: string;
  lastActivityAt?: number;
  windowExpiresAt?: number;
  isProcessing: boolean;
  runs: number;
};

export const initialState = (): CarriedState => ({
  seenEventIds: [],
  sentMessageIds: [],
  mode: 'auto',
  handoverPauseMinutes: DEFAULT_HANDOVER_PAUSE_MINUTES,
  hasDisclosed: false,
  messageCount: 0,
  runs: 0,
  pending: [],
  pendingEchoes: [],
});

// ---------------------------------------------------------------------------------------------------------------
// Activities, grouped by retry behaviour

const storeOptions = {
  startToCloseTimeout: '20s',
  // MongoDB outages are waited out rather than failed: nothing the customer wrote may be lost.
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: [Failure.NotFound] },
};
/**
 * Recording the customer's messages is a few MongoDB writes: as a local activity it runs inside the
 * workflow task, saving two round trips to the Temporal server on every message.
 */
const storeLocally = proxyLocalActivities<Activities>(storeOptions);
const store = proxyActivities<Activities>(storeOptions);
const llm = proxyActivities<Activities>({
  startToCloseTimeout: '60s',
  // OpenAI failures already fall back to the offline responder inside the activity; what is left to
  // retry is infrastructure (MongoDB down), which is waited out rather than given up on.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: [Failure.NotFound] },
});
const send = proxyActivities<Activities>({
  // Longer than one Graph call (15 s) plus its claim grace (5 s): an attempt claims a chunk only while it can
  // finish it, so a retry never overlaps a send still in flight (delivery-claims.ts).
  startToCloseTimeout: '30s',
  // Rate limits and 5xx are retried for up to an hour; a reply later than that is worse than none.
  scheduleToCloseTimeout: '1h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s', nonRetryableErrorTypes: [Failure.NotFound] },
});
const notify = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // WhatsApp/Resend rate limits and 5xx back off for ~8 min; the notifications rows make each retry
  // resend only what did not go out. An event still unnotified after that is retried with the next batch.
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '2m',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [Failure.TemplateMismatch, Failure.NotFound],
  },
});
const reminders = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Bounded: a reminder after the window closed is useless, and the conversation must not wait on it.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 6 },
});
const intake = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Preparing the request reads MongoDB; outages are waited out for a while, the reply waits too.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

type Recorded = Awaited<ReturnType<Activities['recordInbound']>>;
type Delivery = Awaited<ReturnType<Activities['deliverReply']>>;

const MAX_BURST_WAIT_FACTOR = 4;
export const REMIND_BEFORE_CLOSE_MS = 4 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Steps: each is a few activity calls on the thread (this run's input and the carried state)

type Thread = { input: ConversationInput; state: CarriedState };

const idsOf = ({ input }: Thread) => ({ conversationId: input.workflowId, key: input.key, channelId: input.channelId });

/** Record: the customer's messages are stored once each (the message id is the idempotency key). */
async function record(t: Thread, events: InboundEvent[]): Promise<Recorded> {
  const recorded = await storeLocally.recordInbound({ ...idsOf(t), events });
  const { state, input } = t;
  state.seenEventIds = rememberIds(
    state.seenEventIds,
    events.map((e) => e.eventId),
    input.settings.maxRememberedIds,
  );
  state.messageCount += recorded.storedCount;
  state.lastActivityAt = workflowNow();
  state.windowExpiresAt = recorded.windowExpiresAt;
  state.handoverPauseMinutes = recorded.handoverPauseMinutes;
  return recorded;
}

/** A burst of fragments ("hi" "I'm Sam" "can I book?") gets one considered reply. */
async function waitForBurstToSettle({ input, state }: Thread) {
  const windowMs = input.settings.burstWindowMs;
  if (windowMs <= 0) return;
  for (let waited = 0; waited < windowMs * MAX_BURST_WAIT_FACTOR; waited += windowMs) {
    const seen = state.pending.length;
    if (!(await condition(() => state.pending.length > seen, windowMs))) return;
  }
}

/** Answers a recorded burst: compose and deliver, privacy asks, handover, then the business hears of new lead events. */
async function answerBatch(t: Thread, events: InboundEvent[]) {
  const { state, input } = t;
  const recorded = await record(t, events);
  if (recorded.storedCount === 0) return;
  if (recorded.isRestricted && state.mode !== 'restricted') await changeMode(t, 'restricted');

  if (state.mode !== 'auto' || recorded.aiMode === 'off') {
    // Paused, off or restricted: keep the record and the lead, never answer automatically.
    if (state.mode === 'restricted') return;
    const captured = await store.captureLead({ conversationId: input.workflowId });
    state.leadId = captured.leadId;
    await notifyBusiness(t, captured.leadId, captured.events);
    return;
  }

  // Compose + deliver: typing, model, stored reply and lead, and (AI mode auto) the delivery, in one activity.
  const replyKey = events[events.length - 1]!.eventId;
  const answered = await llm.composeAndDeliverReply({
    conversationId: input.workflowId,
    replyKey,
    isFirstReply: !state.hasDisclosed,
    aiMode: recorded.aiMode,
  });
  let deletionRequestId: string | undefined;
  if (answered.intents.wantsDeletion) deletionRequestId = await openChatRequest(t, 'deletion', replyKey);
  else if (answered.intents.wantsStop) await openChatRequest(t, 'objection', replyKey);
  state.leadId = answered.leadId;
  state.hasDisclosed = true;

  if (answered.intents.wantsHuman) await pauseForHuman(t, state.handoverPauseMinutes);
  if (answered.intents.wantsHuman || answered.humanReason === 'specialist' || answered.humanReason === 'emergency') markWaitingForHuman(t);
  if (answered.replyMessageId && recorded.aiMode === 'auto') {
    // Delivered inside the reply activity unless that attempt failed: then here, with the send retry policy
    // (the model is not asked again).
    const delivered =
      answered.delivery ?? (await send.deliverReply({ conversationId: input.workflowId, messageId: answered.replyMessageId }));
    await afterDelivery(t, delivered, 'reply');
  }
  if (deletionRequestId) await confirmChatRequest(t, deletionRequestId);
  await notifyBusiness(t, answered.leadId, answered.events);
}

/** A reply that may or may not have gone out is never resent: the business hears about it now, by email. */
async function afterDelivery({ input, state }: Thread, delivered: Delivery, what: string) {
  state.sentMessageIds = rememberIds(state.sentMessageIds, delivered.providerMessageIds, input.settings.maxRememberedIds);
  if (delivered.sent) return;
  log.warn(`${what} not delivered`, { why: delivered.why });
  if (delivered.why !== 'delivery_unknown') return;
  try {
    await notify.sendBusinessAlerts({ businessId: input.key.businessId });
  } catch (err) {
    // The alert row stays unnotified; the token-health round sends it later.
    if (!(err instanceof ActivityFailure)) throw err;
    log.error('business alert not sent', { cause: err.cause?.message });
  }
}

/**
 * Notify: the events' CRM deliveries and digest start first, as children (they never wait on WhatsApp or Resend),
 * then one call per new lead event; a notification problem never stops the conversation.
 */
async function notifyBusiness({ input }: Thread, leadId: string, eventIds: string[]) {
  if (eventIds.length === 0) return;
  try {
    await startLeadEventFollowUps(await notify.findLeadEventFollowUps({ eventIds }));
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.error('lead event follow-ups not started; the notification retry sweep starts them', { cause: err.cause?.message });
  }
  for (const eventId of eventIds) {
    try {
      await notify.notifyBusiness({ conversationId: input.workflowId, businessId: input.key.businessId, leadId, eventId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      if (err.cause instanceof ApplicationFailure && err.cause.type === Failure.TemplateMismatch)
        log.warn('WhatsApp template mismatch; business notified by email only', { eventId });
      else log.error('notification failed after retries; retried with the next batch', { eventId, cause: err.cause?.message });
    }
  }
}

/**
 * Chat deletion/objection: "delete my data" opens a DataDeletionWorkflow, "stop" an objection (the rights
 * workflow restricts this thread and tells the business), started as this thread's child and abandoned when it
 * ends: the request outlives the conversation whose history it erases. `replyKey` (the message that asked) gives
 * the request its id, so a retried step or a redelivered ask finds its request already started: one request.
 */
async function openChatRequest({ input }: Thread, kind: 'deletion' | 'objection', replyKey: string): Promise<string | undefined> {
  try {
    const { request, isKnown } = await intake.prepareChatPrivacyRequest({
      kind,
      businessId: input.key.businessId,
      channel: input.key.channel,
      contactId: input.key.contactId,
      conversationId: input.workflowId,
      replyKey,
    });
    const isStarted = await startPrivacyRequestChild(request);
    log.info(`${kind} requested in chat`, { requestId: request.requestId, isNew: isStarted && !isKnown });
    // Started now or before (a redelivered ask): either way this request exists, and its id is the person's code.
    return request.requestId;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // A deletion ask is also a recorded lead event, so the business still learns of it.
    log.error(`could not open the ${kind === 'deletion' ? 'deletion request' : 'objection'} from chat`, { cause: err.cause?.message });
    return undefined;
  }
}

/**
 * After the reply, the person gets the confirmation code of the deletion request this thread started (its id, so
 * the code is the one the status page and the compliance team know). It goes out before the request's erasure can
 * stop the thread: the thread takes the request's "delete" only between batches.
 */
async function confirmChatRequest(t: Thread, requestId: string) {
  try {
    const delivered = await send.sendChatRequestConfirmation({ conversationId: t.input.workflowId, requestId });
    await afterDelivery(t, delivered, 'privacy confirmation');
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.error('privacy confirmation not delivered', { requestId, cause: err.cause?.message });
  }
}

/** Handover/pause: the mode lives in the carried state, the search attribute and the thread's record. */
async function changeMode({ input, state }: Thread, mode: ConversationMode, pausedUntil?: number) {
  state.mode = mode;
  state.pausedUntil = mode === 'paused' ? pausedUntil : undefined;
  upsertSearchAttributes([{ key: ConversationModeAttr, value: mode }]);
  await store.setConversationMode({ conversationId: input.workflowId, mode, pausedUntil: state.pausedUntil });
}

const pauseForHuman = (t: Thread, minutes: number) => changeMode(t, 'paused', workflowNow() + minutes * 60_000);

/** A person answered from Meta Business Suite: the bot steps back for the business's pause. */
async function recordHumanEcho(t: Thread, echo: EchoEvent) {
  await store.recordHumanEcho({ ...idsOf(t), echo });
  t.state.lastActivityAt = workflowNow();
  clearHumanWait(t);
  await pauseForHuman(t, t.state.handoverPauseMinutes);
}

/** A reply written (or a draft approved) in the dashboard. A person writing takes over, as an echo does. */
async function deliverStored(t: Thread, messageId: string, isHandover: boolean) {
  if (isHandover && (t.state.mode === 'auto' || t.state.mode === 'paused')) await pauseForHuman(t, t.state.handoverPauseMinutes);
  if (isHandover) clearHumanWait(t);
  try {
    const delivered = await send.deliverReply({ conversationId: t.input.workflowId, messageId });
    t.state.lastActivityAt = workflowNow();
    await afterDelivery(t, delivered, 'dashboard message');
  } catch (err) {
    // Deleted meanwhile, or still failing after retries: the message keeps its status, the thread lives on.
    if (!(err instanceof ActivityFailure)) throw err;
    log.error('dashboard message delivery failed', { cause: err.cause?.message });
  }
}

async function applyControl(t: Thread, c: ControlRequest) {
  if (c.action === 'pause') await pauseForHuman(t, c.minutes ?? t.state.handoverPauseMinutes);
  else if (c.action === 'resume') await changeMode(t, 'auto');
  else if (c.action === 'restrict') await changeMode(t, 'restricted');
  else if (c.action === 'deliver') await deliverStored(t, c.messageId, c.isHandover === true);
}

/**
 * Window reminder: while a customer waits for a person (asked for one, or a specialist/emergency enquiry flagged
 * for review), remind the business once per messaging window, 4 h before Meta's 24 h standard window closes.
 * A person replying ends the wait; a new customer message moves the window and so the reminder.
 */
const markWaitingForHuman = ({ state }: Thread) => {
  state.humanWaitSince ??= workflowNow();
};

const clearHumanWait = ({ state }: Thread) => {
  state.humanWaitSince = undefined;
};

const reminderDueAt = ({ state }: Thread): number | undefined => {
  if (state.humanWaitSince === undefined || state.windowExpiresAt === undefined) return undefined;
  if (state.remindedForWindow === state.windowExpiresAt) return undefined;
  return state.windowExpiresAt - REMIND_BEFORE_CLOSE_MS;
};

async function remindIfDue(t: Thread) {
  const { state, input } = t;
  const due = reminderDueAt(t);
  const windowExpiresAt = state.windowExpiresAt;
  const waitingSince = state.humanWaitSince;
  if (due === undefined || windowExpiresAt === undefined || waitingSince === undefined || workflowNow() < due) return;
  // Once per window, whatever happens below: a late or failed reminder is not retried on every wake-up.
  state.remindedForWindow = windowExpiresAt;
  if (workflowNow() >= windowExpiresAt) return;
  try {
    await reminders.sendWindowReminder({
      conversationId: input.workflowId,
      businessId: input.key.businessId,
      windowExpiresAt,
      waitingSince,
      at: workflowNow(),
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn('window reminder not sent', { cause: err.cause?.message });
  }
}

/** Purge: transcript and thread record go (the lead stays with the business); already gone is fine. */
async function purge({ input }: Thread) {
  try {
    await store.purgeConversation({ conversationId: input.workflowId });
  } catch (err) {
    const isMissing = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === Failure.NotFound;
    if (!isMissing) throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The workflow: handlers, then one loop that waits for work or the next timer (resume, reminder, purge)

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationOutcome> {
  const state: CarriedState = input.carried ? { ...input.carried, runs: input.carried.runs + 1 } : initialState();
  const t: Thread = { input, state };
  let controls: ControlRequest[] = [];
  let isProcessing = false;
  let deleteRequested = false;
  let isErasing = false;

  const view = (): ConversationState => ({
    mode: state.mode,
    pausedUntil: state.pausedUntil,
    messageCount: state.messageCount,
    leadId: state.leadId,
    lastActivityAt: state.lastActivityAt,
    windowExpiresAt: state.windowExpiresAt,
    isProcessing,
    runs: state.runs,
  });

  setHandler(inboundMessageSignal, (event) => {
    // Meta redelivers; the same mid must never be stored or answered twice.
    if (state.seenEventIds.includes(event.eventId) || state.pending.some((p) => p.eventId === event.eventId)) return;
    state.pending.push(event);
  });
  setHandler(pageEchoSignal, (echo) => {
    if (state.sentMessageIds.includes(echo.eventId) || echo.fromOurApp === true) return;
    if (state.seenEventIds.includes(echo.eventId)) return;
    state.seenEventIds = rememberIds(state.seenEventIds, [echo.eventId], input.settings.maxRememberedIds);
    state.pendingEchoes.push(echo);
  });
  setHandler(conversationStateQuery, view);
  // A privacy request's workflow tells this thread to stop answering, or to stop for good while it erases the thread
  // (workflows can only signal); applied like a control, and that request's step waits until it took effect.
  setHandler(privacyControlSignal, (request) => {
    controls.push(request);
    if (request.action === 'delete') isErasing = true;
  });
  setHandler(
    controlUpdate,
    async (request) => {
      controls.push(request);
      if (request.action === 'delete') deleteRequested = true;
      await condition(() => !controls.includes(request));
      return view();
    },
    {
      validator: (r) => {
        if (r.action === 'pause' && r.minutes !== undefined && (r.minutes < 1 || r.minutes > MAX_PAUSE_MINUTES))
          throw new Error(`pause minutes must be 1..${MAX_PAUSE_MINUTES}`);
        if (r.action === 'deliver' && (typeof r.messageId !== 'string' || !isMessageOf(input.workflowId, r.messageId)))
          throw new Error('deliver needs a message of this conversation');
      },
    },
  );

  upsertSearchAttributes([{ key: ConversationModeAttr, value: state.mode }]);
  const retentionMs = conversationPurgeAfterMs(input.settings.retentionDays, input.settings.historyRetentionHours);
  let batchesThisRun = 0;

  for (;;) {
    const now = workflowNow();
    const purgeAt = (state.lastActivityAt ?? now) + retentionMs;
    const resumeAt = state.mode === 'paused' ? state.pausedUntil : undefined;
    const wakeAt = Math.min(resumeAt ?? purgeAt, reminderDueAt(t) ?? purgeAt, purgeAt);
    const hasWork = await condition(
      () => state.pending.length > 0 || state.pendingEchoes.length > 0 || controls.length > 0,
      Math.max(1, wakeAt - now),
    );

    if (!hasWork) {
      if (workflowNow() >= purgeAt) {
        // Inactivity: nothing in either direction for the whole retention period.
        await purge(t);
        // Controls that arrived meanwhile address a thread that is gone: their callers get the final state.
        controls = [];
        await condition(allHandlersFinished);
        // A message that arrived during the purge was acknowledged to Meta: a fresh run answers it. Nothing of the
        // thread is carried into it, only the business's setting. Not for a thread being erased: it just ends.
        if (!isErasing && (state.pending.length > 0 || state.pendingEchoes.length > 0)) {
          const { runs, handoverPauseMinutes, pending, pendingEchoes } = state;
          await continueAsNew<typeof conversationWorkflow>({
            ...input,
            carried: { ...initialState(), runs, handoverPauseMinutes, pending, pendingEchoes },
          });
        }
        return { reason: 'purged_after_inactivity', messageCount: state.messageCount };
      }
      if (resumeAt !== undefined && workflowNow() >= resumeAt) await changeMode(t, 'auto');
      await remindIfDue(t);
      continue;
    }

    isProcessing = true;
    if (controls.length > 0) {
      const batch = controls;
      for (const c of batch) await applyControl(t, c);
      controls = controls.filter((c) => !batch.includes(c));
    }
    if (isErasing) {
      // A privacy erasure: the thread stops here, between batches, and waits for the erasing step to delete its
      // history, which ends the run (an open run is dropped at once; a closed one only once Temporal has settled its
      // close). A thread nobody erases purges itself after a day.
      upsertSearchAttributes([{ key: ConversationModeAttr, value: 'erasing' }]);
      await condition(() => false, DAY_MS);
      deleteRequested = true;
    }
    if (deleteRequested) {
      await purge(t);
      await condition(allHandlersFinished);
      return { reason: 'deleted_on_request', messageCount: state.messageCount };
    }
    while (state.pendingEchoes.length > 0) await recordHumanEcho(t, state.pendingEchoes.shift()!);
    if (state.pending.length > 0) {
      await waitForBurstToSettle(t);
      try {
        await answerBatch(t, state.pending.splice(0));
      } catch (err) {
        // A step that exhausted its retries loses this reply, never the conversation: log it and carry on.
        if (!(err instanceof ActivityFailure)) throw err;
        log.error('batch step failed after retries', { activityType: err.activityType, cause: err.cause?.message });
      }
      batchesThisRun++;
    }
    isProcessing = false;

    const shouldRollOver = workflowInfo().continueAsNewSuggested || batchesThisRun >= input.settings.continueAsNewAfterBatches;
    // Pending customer messages travel in the carried state; a busy thread must still be able to roll over.
    if (shouldRollOver && state.pendingEchoes.length === 0 && controls.length === 0) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state });
    }
  }
}
