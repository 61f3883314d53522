/** Reply generation: this business's profile and this thread's transcript in, a validated AssistantResult out. */
import { respond } from '../ai/respond.js';
import type { AssistantResult } from '../ai/types.js';
import { ApplicationFailure } from '@temporalio/activity';
import { loadBusiness, toBusinessProfile } from './business-profile.js';
import { createConversationStoreActivities } from './conversation-store.js';
import { createDeliveryActivities } from './delivery.js';
import { nowOf, type ActivityDeps } from './deps.js';
import { Failure } from './failures.js';
import { loadTranscript } from './transcript.js';

export type ComposedReply = {
  intents: AssistantResult['intents'];
  humanReason?: AssistantResult['humanReason'];
  leadId: string;
  replyMessageId?: string;
  events: string[];
};

export const createReplyActivities = (deps: ActivityDeps) => {
  const store = createConversationStoreActivities(deps);
  const delivery = createDeliveryActivities(deps);

  const generateReply = async (input: { conversationId: string; isFirstReply: boolean }): Promise<AssistantResult> => {
    const conv = await deps.models.Conversation.findById(input.conversationId).lean();
    if (!conv) throw ApplicationFailure.nonRetryable(`conversation ${input.conversationId} not found`, Failure.NotFound);
    const business = toBusinessProfile(await loadBusiness(deps.models, conv.businessId));
    const transcript = await loadTranscript(deps.models, input.conversationId);
    const result = await respond(
      { business, transcript, now: nowOf(deps), isFirstReply: input.isFirstReply, channel: conv.channel as 'messenger' | 'instagram' | 'web' },
      { openai: deps.openai },
    );
    deps.log.info({ conversationId: input.conversationId, source: result.source, urgency: result.urgency, specialist: result.specialist }, 'reply generated');
    return result;
  };

  return {
    // Kept registered for workflow runs that scheduled it before composeReply existed.
    generateReply,

    /**
     * The whole reply in one activity: typing indicator, the model, then the stored reply, the lead and its events.
     * Each Temporal round trip costs more than these writes, so one activity instead of three keeps replies fast.
     * A retry asks the model again; every write is idempotent. Only ids and flags go back into history.
     */
    async composeReply(input: { conversationId: string; replyKey: string; isFirstReply: boolean; aiMode: 'auto' | 'draft' | 'off' }): Promise<ComposedReply> {
      await delivery.showTyping({ conversationId: input.conversationId, isTyping: true });
      const result = await generateReply(input);
      const applied = await store.applyAssistantResult({ conversationId: input.conversationId, replyKey: input.replyKey, result, aiMode: input.aiMode });
      return { intents: result.intents, humanReason: result.humanReason, ...applied };
    },
  };
};
