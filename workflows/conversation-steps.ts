/** The named steps of the ConversationWorkflow; each step is a few activity calls with their own retry policy. */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { Failure } from '../domain/failures.js';
import { ConversationModeAttr } from '../temporal/search-attributes.js';
import type { CarriedState, ControlRequest, ConversationInput, ConversationMode, EchoEvent, InboundEvent } from '../domain/conversation.js';
import { openChatDeletionRequest, openChatObjection } from './conversation-privacy.js';
import { rememberIds, workflowNow } from './helpers.js';
import { clearHumanWait, markWaitingForHuman } from './window-reminder.js';

const store = proxyActivities<Activities>({
  startToCloseTimeout: '20s',
  // MongoDB outages are waited out rather than failed: nothing the customer wrote may be lost.
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: [Failure.NotFound] },
});
/**
 * Recording the customer's messages is a few MongoDB writes: as a local activity it runs inside the
 * workflow task, saving two round trips to the Temporal server on every message.
 */
const storeLocally = proxyLocalActivities<Activities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: [Failure.NotFound] },
});
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

const MAX_BURST_WAIT_FACTOR = 4;
type Composed = Awaited<ReturnType<Activities['composeReply']>>;
type Delivery = Awaited<ReturnType<Activities['deliverReply']>>;
const isMissing = (err: unknown) =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === Failure.NotFound;

export const createBatchRunner = (input: ConversationInput, state: CarriedState) => {
  const ids = { conversationId: input.workflowId, key: input.key, channelId: input.channelId };
  let pauseMinutes = 12 * 60;

  const changeMode = async (mode: ConversationMode, pausedUntil?: number) => {
    state.mode = mode;
    state.pausedUntil = mode === 'paused' ? pausedUntil : undefined;
    upsertSearchAttributes([{ key: ConversationModeAttr, value: mode }]);
    await store.setConversationMode({ conversationId: ids.conversationId, mode, pausedUntil: state.pausedUntil });
  };

  const pauseForHuman = async (minutes: number) => changeMode('paused', workflowNow() + minutes * 60_000);

  const notifyAll = async (leadId: string, eventIds: string[]) => {
    for (const eventId of eventIds) {
      try {
        await notify.notifyBusiness({ conversationId: ids.conversationId, businessId: input.key.businessId, leadId, eventId });
      } catch (err) {
        // A notification problem never stops the conversation: the customer still gets answered.
        if (!(err instanceof ActivityFailure)) throw err;
        if (err.cause instanceof ApplicationFailure && err.cause.type === Failure.TemplateMismatch)
          log.warn('WhatsApp template mismatch; business notified by email only', { eventId });
        else log.error('notification failed after retries; retried with the next batch', { eventId, cause: err.cause?.message });
      }
    }
  };

  /** A reply that may or may not have gone out is never resent: the business hears about it now, by email. */
  const afterDelivery = async (delivered: Delivery, what: string) => {
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
  };

  /** A burst of fragments ("hi" "I'm Sam" "can I book?") gets one considered reply. */
  const waitForBurstToSettle = async () => {
    const windowMs = input.settings.burstWindowMs;
    if (windowMs <= 0) return;
    for (let waited = 0; waited < windowMs * MAX_BURST_WAIT_FACTOR; waited += windowMs) {
      const seen = state.pending.length;
      if (!(await condition(() => state.pending.length > seen, windowMs))) return;
    }
  };

  /**
   * Typing, model, stored reply and lead, and (AI mode auto) the delivery: one activity since the
   * reply-in-one-activity change; before it, delivery was a second activity, and three more before compose-reply.
   */
  const composeReply = async (
    replyKey: string,
    aiMode: 'auto' | 'draft' | 'off',
  ): Promise<{
    result: Pick<Composed, 'intents' | 'humanReason'>;
    applied: Pick<Composed, 'leadId' | 'replyMessageId' | 'events'>;
    delivery?: Delivery | undefined;
    isDeliveryDone: boolean;
  }> => {
    if (patched('reply-in-one-activity')) {
      const answered = await llm.composeAndDeliverReply({
        conversationId: ids.conversationId,
        replyKey,
        isFirstReply: !state.hasDisclosed,
        aiMode,
      });
      return { result: answered, applied: answered, delivery: answered.delivery, isDeliveryDone: true };
    }
    if (patched('compose-reply')) {
      const composed = await llm.composeReply({ conversationId: ids.conversationId, replyKey, isFirstReply: !state.hasDisclosed, aiMode });
      return { result: composed, applied: composed, isDeliveryDone: false };
    }
    await send.showTyping({ conversationId: ids.conversationId, isTyping: true });
    const result = await llm.generateReply({ conversationId: ids.conversationId, isFirstReply: !state.hasDisclosed });
    const applied = await store.applyAssistantResult({ conversationId: ids.conversationId, replyKey, result, aiMode });
    return { result, applied, isDeliveryDone: false };
  };

  const handleInboundBatch = async (events: InboundEvent[]) => {
    const recorded = patched('local-record-inbound')
      ? await storeLocally.recordInbound({ ...ids, events })
      : await store.recordInbound({ ...ids, events });
    state.seenEventIds = rememberIds(
      state.seenEventIds,
      events.map((e) => e.eventId),
      input.settings.maxRememberedIds,
    );
    state.messageCount += recorded.storedCount;
    state.lastActivityAt = workflowNow();
    state.windowExpiresAt = recorded.windowExpiresAt;
    pauseMinutes = recorded.handoverPauseMinutes;
    if (recorded.storedCount === 0) return;
    if (recorded.isRestricted && state.mode !== 'restricted') await changeMode('restricted');

    const canReply = state.mode === 'auto' && recorded.aiMode !== 'off';
    if (!canReply) {
      // Paused, off or restricted: keep the record and the lead, never answer automatically.
      if (state.mode === 'restricted') return;
      const captured = await store.captureLead({ conversationId: ids.conversationId });
      state.leadId = captured.leadId;
      await notifyAll(captured.leadId, captured.events);
      return;
    }

    const replyKey = events[events.length - 1]!.eventId;
    const { result, applied, delivery, isDeliveryDone } = await composeReply(replyKey, recorded.aiMode);
    if (result.intents.wantsDeletion) await openChatDeletionRequest(input, replyKey);
    else if (result.intents.wantsStop) await openChatObjection(input, replyKey);
    state.leadId = applied.leadId;
    state.hasDisclosed = true;

    if (result.intents.wantsHuman) await pauseForHuman(pauseMinutes);
    if (result.intents.wantsHuman || result.humanReason === 'specialist' || result.humanReason === 'emergency') markWaitingForHuman(state);
    if (applied.replyMessageId && recorded.aiMode === 'auto') {
      // Delivered inside the reply activity unless that attempt failed: then here, with the send retry policy.
      const delivered = delivery ?? (await send.deliverReply({ conversationId: ids.conversationId, messageId: applied.replyMessageId }));
      await afterDelivery(delivered, 'reply');
    } else if (!isDeliveryDone) {
      await send.showTyping({ conversationId: ids.conversationId, isTyping: false });
    }
    await notifyAll(applied.leadId, applied.events);
  };

  const handleHumanEcho = async (echo: EchoEvent) => {
    await store.recordHumanEcho({ ...ids, echo });
    state.lastActivityAt = workflowNow();
    clearHumanWait(state);
    // A person answered from Meta Business Suite: the bot steps back for the configured time.
    await pauseForHuman(pauseMinutes);
  };

  /** A reply written (or a draft approved) in the dashboard. A person writing takes over, as an echo does. */
  const deliverStored = async (messageId: string, isHandover: boolean) => {
    if (isHandover && (state.mode === 'auto' || state.mode === 'paused')) await pauseForHuman(pauseMinutes);
    if (isHandover) clearHumanWait(state);
    try {
      const delivered = await send.deliverReply({ conversationId: ids.conversationId, messageId });
      state.lastActivityAt = workflowNow();
      await afterDelivery(delivered, 'dashboard message');
    } catch (err) {
      // Deleted meanwhile, or still failing after retries: the message keeps its status, the thread lives on.
      if (!(err instanceof ActivityFailure)) throw err;
      log.error('dashboard message delivery failed', { cause: err.cause?.message });
    }
  };

  const applyControl = async (c: ControlRequest) => {
    if (c.action === 'pause') await pauseForHuman(c.minutes ?? pauseMinutes);
    else if (c.action === 'resume') await changeMode('auto');
    else if (c.action === 'restrict') await changeMode('restricted');
    else if (c.action === 'deliver') await deliverStored(c.messageId, c.isHandover === true);
  };

  const purge = async () => {
    try {
      await store.purgeConversation({ conversationId: ids.conversationId });
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  };

  return { changeMode, waitForBurstToSettle, handleInboundBatch, handleHumanEcho, applyControl, purge };
};
