/**
 * One customer thread (business + channel + person): replies once per burst, never twice per message,
 * pauses when a human steps in, and purges its transcript after the retention period of inactivity (a message
 * that arrives during the purge is answered by a fresh run).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ConversationModeAttr } from '../temporal/search-attributes.js';
import type {
  CarriedState,
  ControlRequest,
  ConversationInput,
  ConversationOutcome,
  ConversationState,
  EchoEvent,
  InboundEvent,
} from '../domain/conversation.js';
import { createBatchRunner } from './conversation-steps.js';
import { rememberIds, workflowNow } from './helpers.js';
import { createWindowReminder } from './window-reminder.js';

export * from '../domain/conversation.js';

export const inboundMessageSignal = defineSignal<[InboundEvent]>('inboundMessage');
export const pageEchoSignal = defineSignal<[EchoEvent]>('pageEcho');
/** An update, not a signal: the dashboard needs to know whether the thread still exists and what mode it is in now. */
export const controlUpdate = defineUpdate<ConversationState, [ControlRequest]>('control');
export const conversationStateQuery = defineQuery<ConversationState>('conversationState');

const DAY_MS = 24 * 60 * 60 * 1000;

export const initialState = (): CarriedState => ({
  seenEventIds: [],
  sentMessageIds: [],
  mode: 'auto',
  hasDisclosed: false,
  messageCount: 0,
  runs: 0,
  pending: [],
});

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationOutcome> {
  const state: CarriedState = input.carried ? { ...input.carried, runs: input.carried.runs + 1, pendingEchoes: undefined } : initialState();
  const echoes: EchoEvent[] = [...(input.carried?.pendingEchoes ?? [])];
  let controls: ControlRequest[] = [];
  let isProcessing = false;
  let deleteRequested = false;
  const runner = createBatchRunner(input, state);
  const reminder = createWindowReminder(input, state);

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
    echoes.push(echo);
  });
  setHandler(conversationStateQuery, view);
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
        if (r.action === 'pause' && r.minutes !== undefined && (r.minutes < 1 || r.minutes > 60 * 24 * 30))
          throw new Error('pause minutes must be 1..43200');
        if (r.action === 'deliver' && (typeof r.messageId !== 'string' || !r.messageId.startsWith(`${input.workflowId}|`)))
          throw new Error('deliver needs a message of this conversation');
      },
    },
  );

  upsertSearchAttributes([{ key: ConversationModeAttr, value: state.mode }]);
  const retentionMs = input.settings.retentionDays * DAY_MS;
  let batchesThisRun = 0;

  for (;;) {
    const now = workflowNow();
    const purgeAt = (state.lastActivityAt ?? now) + retentionMs;
    const resumeAt = state.mode === 'paused' ? state.pausedUntil : undefined;
    const wakeAt = Math.min(resumeAt ?? purgeAt, reminder.dueAt() ?? purgeAt, purgeAt);
    const hasWork = await condition(() => state.pending.length > 0 || echoes.length > 0 || controls.length > 0, Math.max(1, wakeAt - now));

    if (!hasWork) {
      if (workflowNow() >= purgeAt) {
        // Inactivity: nothing in either direction for the whole retention period.
        await runner.purge();
        // Controls that arrived meanwhile address a thread that is gone: their callers get the final state.
        controls = [];
        await condition(allHandlersFinished);
        // A message that arrived during the purge was acknowledged to Meta: a fresh run (nothing else carried) answers it.
        if (state.pending.length > 0 || echoes.length > 0) {
          await continueAsNew<typeof conversationWorkflow>({
            ...input,
            carried: { ...initialState(), runs: state.runs, pending: state.pending, pendingEchoes: echoes },
          });
        }
        return { reason: 'purged_after_inactivity', messageCount: state.messageCount };
      }
      if (resumeAt !== undefined && workflowNow() >= resumeAt) await runner.changeMode('auto');
      await reminder.fireIfDue();
      continue;
    }

    isProcessing = true;
    if (controls.length > 0) {
      const batch = controls;
      for (const c of batch) await runner.applyControl(c);
      controls = controls.filter((c) => !batch.includes(c));
    }
    if (deleteRequested) {
      await runner.purge();
      await condition(allHandlersFinished);
      return { reason: 'deleted_on_request', messageCount: state.messageCount };
    }
    while (echoes.length > 0) await runner.handleHumanEcho(echoes.shift()!);
    if (state.pending.length > 0) {
      await runner.waitForBurstToSettle();
      try {
        await runner.handleInboundBatch(state.pending.splice(0));
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
    if (shouldRollOver && echoes.length === 0 && controls.length === 0) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state });
    }
  }
}
