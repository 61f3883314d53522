/** Reply generation: this business's profile and this thread's transcript in, a validated AssistantResult out. */
import { respond } from '../../ai/respond.js';
import { createBillingReplyGate } from '../billing/reply-gate.js';
import type { AssistantResult } from '../../ai/types.js';
import { toBusinessProfile } from '../../domain/business-profile.js';
import { cachedBusiness } from './business-cache.js';
import type { ConversationRow } from '../../domain/conversation-records.js';
import { applyAssistantResultTo, requireConversation } from './store.js';
import { createDelivery, type DeliveryResult, type Reads } from './delivery.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { toTranscript } from '../../domain/transcript.js';

type ComposeInput = { conversationId: string; replyKey: string; isFirstReply: boolean; aiMode: 'auto' | 'draft' | 'off' };

export type ComposedReply = {
  intents: AssistantResult['intents'];
  humanReason?: AssistantResult['humanReason'];
  leadId: string;
  replyMessageId?: string;
  events: string[];
};

/** The composed reply plus, when it goes out automatically, its delivery; `delivery` is absent when it did not run. */
export type AnsweredReply = ComposedReply & { delivery?: DeliveryResult };

export const createReplyActivities = (deps: ActivityDeps) => {
  const delivery = createDelivery(deps);
  const billingStandIn = createBillingReplyGate(deps);

  const generateFor = async (conv: ConversationRow, input: { isFirstReply: boolean }): Promise<AssistantResult> => {
    const business = toBusinessProfile(await cachedBusiness(deps.models, conv.businessId));
    const transcript = toTranscript(conv.recent);
    // Billing: a paused account stays silent, a conversation past the plan's monthly limit gets a handover.
    const standIn = await billingStandIn(conv, business, transcript);
    if (standIn) return standIn;
    const result = await respond(
      {
        business,
        transcript,
        now: nowOf(deps),
        isFirstReply: input.isFirstReply,
        channel: conv.channel,
      },
      { openai: deps.openai.isEnabled ? deps.openai : undefined },
    );
    deps.log.info(
      { conversationId: conv._id, source: result.source, urgency: result.urgency, specialist: result.specialist },
      'reply generated',
    );
    return result;
  };

  const composeFor = async (conv: ConversationRow, input: ComposeInput, reads: Reads) => {
    await delivery.showTypingIn(conv, true, reads);
    const result = await generateFor(conv, input);
    const { replyMessage, ...applied } = await applyAssistantResultTo(deps, conv, {
      conversationId: input.conversationId,
      replyKey: input.replyKey,
      result,
      aiMode: input.aiMode,
    });
    const composed: ComposedReply = { intents: result.intents, humanReason: result.humanReason, ...applied };
    return { composed, replyMessage };
  };

  return {
    /**
     * The whole answer in one activity, on one read of the thread: typing indicator, the model, the stored reply, the
     * lead and its events, then (AI mode auto) the delivery. Every Temporal round trip saved is a workflow task the
     * server and the worker do not run for each message. A retry asks the model again; every write is idempotent.
     * Only ids and flags go back into history.
     * A delivery that fails here (Meta rate limit or outage, MongoDB gone) is not retried here, which would ask the
     * model again: the reply is stored, and the workflow delivers it with deliverReply and its own retry policy.
     * A send whose outcome is unknown is not a failure: it comes back as `delivery_unknown` and is never repeated.
     */
    async composeAndDeliverReply(input: ComposeInput): Promise<AnsweredReply> {
      const conv = await requireConversation(deps.models, input.conversationId);
      // The channel is read once for the typing indicator and the send (Messenger and Instagram threads).
      const reads: Reads = conv.channel === 'web' ? {} : { sender: delivery.loadSender(conv.channelId) };
      reads.sender?.catch(() => undefined); // a failed read is reported where it is awaited
      const { composed, replyMessage } = await composeFor(conv, input, reads);
      if (!composed.replyMessageId || input.aiMode !== 'auto') {
        await delivery.showTypingIn(conv, false);
        return composed;
      }
      try {
        return {
          ...composed,
          delivery: await delivery.deliverTo(conv, composed.replyMessageId, { ...reads, message: replyMessage ?? undefined }),
        };
      } catch (err) {
        deps.log.warn({ conversationId: conv._id, err: (err as Error).message }, 'reply stored; delivery left to deliverReply');
        return composed;
      }
    },
  };
};
