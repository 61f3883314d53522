/** Activities that keep the conversation's MongoDB records: messages, mode, leads, purge. */
import { ApplicationFailure } from '@temporalio/activity';
import { extractLeadFields } from '../../ai/extract.js';
import type { AssistantResult } from '../../ai/types.js';
import type { Models } from '../../db/models/index.js';
import {
  messageIdOf,
  messagingWindowExpiresAt,
  replyMessageIdOf,
  type ConversationKey,
  type ConversationMode,
  type EchoEvent,
  type InboundEvent,
} from '../../domain/conversation.js';
import { findConversation, newAssistantMessage, type ConversationRow } from '../../domain/conversation-records.js';
import type { StoredMessage } from './delivery.js';
import { handoverPauseMinutesOf, loadBusiness } from '../../domain/business-profile.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { Failure } from '../../domain/failures.js';
import { contactKeyOf, pendingLeadEventIds, recordLeadEvent, upsertLead } from '../../domain/leads.js';
import { appendToTranscript, loadTranscript, mergeRecent } from '../../domain/transcript.js';

/** The thread an activity works on. Gone (purged or erased meanwhile) is final: not retried. */
export const requireConversation = async (models: Models, conversationId: string) => {
  const conv = await findConversation(models, conversationId);
  if (!conv) throw ApplicationFailure.nonRetryable(`conversation ${conversationId} not found`, Failure.NotFound);
  return conv;
};

export const createConversationStoreActivities = (deps: ActivityDeps) => {
  const { models } = deps;

  return {
    async recordInbound(input: { conversationId: string; key: ConversationKey; channelId: string; events: InboundEvent[] }) {
      // Fresh, not cached: the owner's switch to draft mode or off must hold from the very next message.
      const business = await loadBusiness(models, input.key.businessId);
      const latest = Math.max(...input.events.map((e) => e.at));
      // Deterministic _id: a redelivered mid meets its own _id and is not stored twice.
      const writes = await models.Message.bulkWrite(
        input.events.map((e) => ({
          updateOne: {
            filter: { _id: messageIdOf(input.conversationId, e.eventId) },
            update: {
              $setOnInsert: {
                conversationId: input.conversationId,
                businessId: input.key.businessId,
                channel: input.key.channel,
                direction: 'inbound',
                author: 'visitor',
                text: e.text,
                externalId: e.eventId,
                status: 'received',
                attachments: e.attachmentTypes ?? [],
                at: new Date(e.at),
              },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      const storedCount = writes.upsertedCount;
      const before = await models.Conversation.findById(input.conversationId, { recent: 1, mode: 1, lastInboundAt: 1 }).lean();
      const recent = mergeRecent(
        before?.recent,
        input.events.map((e) => ({
          id: e.eventId,
          direction: 'inbound',
          author: 'visitor',
          text: e.text,
          at: new Date(e.at).toISOString(),
        })),
      );
      // One write for the thread (created if new, times, count and transcript together): on SQLite-backed stand-ins
      // every write waits for the single writer, so the hot path keeps them few.
      await models.Conversation.updateOne(
        { _id: input.conversationId },
        {
          $setOnInsert: {
            businessId: input.key.businessId,
            channel: input.key.channel,
            contactId: input.key.contactId,
            channelId: input.channelId,
            workflowId: input.conversationId,
            mode: 'auto',
          },
          $max: { lastMessageAt: new Date(latest), lastInboundAt: new Date(latest) },
          $inc: { messageCount: storedCount },
          $set: { recent },
        },
        { upsert: true },
      );
      const lastInbound = Math.max(before?.lastInboundAt?.getTime() ?? 0, latest);
      return {
        storedCount,
        aiMode: business.aiMode as 'auto' | 'draft' | 'off',
        handoverPauseMinutes: handoverPauseMinutesOf(business),
        isRestricted: before?.mode === 'restricted',
        windowExpiresAt: messagingWindowExpiresAt(input.key.channel, lastInbound),
      };
    },

    async setConversationMode(input: { conversationId: string; mode: ConversationMode; pausedUntil?: number }) {
      await models.Conversation.updateOne(
        { _id: input.conversationId },
        input.pausedUntil
          ? { $set: { mode: input.mode, pausedUntil: new Date(input.pausedUntil) } }
          : { $set: { mode: input.mode }, $unset: { pausedUntil: 1 } },
      );
    },

    /** Lead capture without a reply (bot paused or off): pattern extraction over the transcript. */
    async captureLead(input: { conversationId: string }) {
      const conv = await requireConversation(models, input.conversationId);
      const business = await loadBusiness(models, conv.businessId);
      const transcript = await loadTranscript(models, input.conversationId);
      const fields = extractLeadFields(transcript, business.country);
      const { leadId, eventKeys } = await upsertLead(models, deps.keyRing, {
        businessId: conv.businessId,
        conversationId: conv._id,
        channel: conv.channel,
        contactKey: contactKeyOf(conv),
        fields,
        at: nowOf(deps),
      });
      await models.Conversation.updateOne({ _id: conv._id }, { $set: { leadId } });
      return { leadId, events: await pendingLeadEventIds(models, eventKeys) };
    },

    /** A person replied from Meta Business Suite: keep their message in the transcript. */
    async recordHumanEcho(input: { conversationId: string; key: ConversationKey; channelId: string; echo: EchoEvent }) {
      const at = new Date(input.echo.at);
      // The owner may write first, from Meta Business Suite: the thread record is created if needed.
      await models.Conversation.updateOne(
        { _id: input.conversationId },
        {
          $setOnInsert: {
            businessId: input.key.businessId,
            channel: input.key.channel,
            contactId: input.key.contactId,
            channelId: input.channelId,
            workflowId: input.conversationId,
          },
          $max: { lastMessageAt: at },
          $inc: { messageCount: 1 },
        },
        { upsert: true },
      );
      await models.Message.updateOne(
        { _id: messageIdOf(input.conversationId, input.echo.eventId) },
        {
          $setOnInsert: {
            conversationId: input.conversationId,
            businessId: input.key.businessId,
            channel: input.key.channel,
            direction: 'outbound',
            author: 'human',
            text: input.echo.text,
            externalId: input.echo.eventId,
            status: 'sent',
            sentAt: at,
            at,
          },
        },
        { upsert: true },
      );
      await appendToTranscript(models, input.conversationId, [
        { id: input.echo.eventId, direction: 'outbound', author: 'human', text: input.echo.text, at: at.toISOString() },
      ]);
    },

    /** Deletes the transcript and thread state after inactivity; the lead stays with the business. */
    async purgeConversation(input: { conversationId: string }) {
      const messages = await models.Message.deleteMany({ conversationId: input.conversationId });
      await models.Conversation.deleteOne({ _id: input.conversationId });
      await models.Lead.updateMany({ conversationIds: input.conversationId }, { $pull: { conversationIds: input.conversationId } });
      deps.log.info({ conversationId: input.conversationId, deletedMessages: messages.deletedCount }, 'conversation purged');
      return { deletedMessages: messages.deletedCount };
    },
  };
};

type ApplyInput = { conversationId: string; replyKey: string; result: AssistantResult; aiMode: 'auto' | 'draft' | 'off' };
type ConversationRef = Pick<ConversationRow, '_id' | 'businessId' | 'channel' | 'contactId' | 'leadId'>;

/**
 * Stores the reply (pending, or draft for approval), updates the lead, records events; safe to retry. Runs inside
 * composeAndDeliverReply on the conversation it has already read.
 */
export const applyAssistantResultTo = async (deps: ActivityDeps, conv: ConversationRef, input: ApplyInput) => {
  const { models } = deps;
  const r = input.result;
  const { leadId, eventKeys } = await upsertLead(models, deps.keyRing, {
    businessId: conv.businessId,
    conversationId: conv._id,
    channel: conv.channel,
    contactKey: contactKeyOf(conv),
    fields: r.lead,
    enquiryType: r.enquiryType,
    urgency: r.urgency,
    specialist: r.specialist,
    needsHuman: r.needsHuman,
    at: nowOf(deps),
  });
  const requestKeys: string[] = [];
  for (const [wanted, kind] of [
    [r.intents.wantsHuman, 'human_requested'],
    [r.intents.wantsDeletion, 'deletion_requested'],
  ] as const) {
    if (!wanted) continue;
    const key = `${kind}:${conv._id}:${input.replyKey}`;
    await recordLeadEvent(models, { businessId: conv.businessId, leadId, conversationId: conv._id, kind, key });
    requestKeys.push(key);
  }
  // Written only when something changed: after the first reply the lead id is already on the thread.
  if (conv.leadId !== leadId || r.needsHuman) {
    const review = r.needsHuman ? { needsReview: true, reviewReason: r.humanReason ?? 'unsure' } : {};
    await models.Conversation.updateOne({ _id: conv._id }, { $set: { leadId, ...review } });
  }

  let replyMessageId: string | undefined;
  let replyMessage: StoredMessage | undefined;
  if (r.reply.trim()) {
    replyMessageId = replyMessageIdOf(conv._id, input.replyKey);
    // The stored reply comes back (just written, or as a retry finds it), so the delivery does not read it again.
    replyMessage = await models.Message.findOneAndUpdate(
      { _id: replyMessageId },
      {
        $setOnInsert: newAssistantMessage(conv, {
          text: r.reply,
          quickReplies: r.quickReplies,
          status: input.aiMode === 'draft' ? 'draft' : 'pending',
          at: nowOf(deps),
        }),
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
  }
  return {
    leadId,
    replyMessageId,
    replyMessage,
    events: await pendingLeadEventIds(models, [...eventKeys, ...requestKeys]),
  };
};
