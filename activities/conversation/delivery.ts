/** Sends stored replies to the customer's channel: Send API for Meta (each chunk at most once), the message store for the widget. */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '../../integrations/graph-errors.js';
import { decryptString } from '../../lib/crypto.js';
import { splitMessage } from '../../lib/text-chunks.js';
import { attemptDeadline, createDeliveryClaims } from './delivery-claims.js';
import type { Models } from '../../db/models/index.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { Failure } from '../../domain/failures.js';
import { messagingWindow } from '../../domain/conversation.js';
import { findConversation, type ConversationRow } from '../../domain/conversation-records.js';
import { mergeRecent } from '../../domain/transcript.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';

const LIMITS = { messenger: { chars: 2000 }, instagram: { chars: 1000, bytes: 1000 } } as const;

export type DeliveryResult = { sent: boolean; why?: string; providerMessageIds: string[] };
type DeliverableConversation = Pick<ConversationRow, '_id' | 'channel' | 'channelId' | 'contactId' | 'lastInboundAt' | 'recent'>;
const readChannel = (models: Models, channelId: string) => models.Channel.findById(channelId).lean();
const readMessage = (models: Models, messageId: string) => models.Message.findById(messageId).lean();
type Sender = { channel: NonNullable<Awaited<ReturnType<typeof readChannel>>>; token: string };
export type StoredMessage = NonNullable<Awaited<ReturnType<typeof readMessage>>>;
/**
 * What the caller has already read in this attempt, so it is not read again: the channel's sender (one read for the
 * typing indicator and the send; a failed read fails the send as before) and the stored reply it has just written.
 */
export type Reads = { sender?: Promise<Sender | undefined>; message?: StoredMessage };

/** Delivery on threads the caller has already read: shared by the activities below and composeAndDeliverReply. */
export const createDelivery = (deps: ActivityDeps) => {
  const { models, graph } = deps;
  const claims = createDeliveryClaims(deps);

  const loadSender = async (channelId: string): Promise<Sender | undefined> => {
    const channel = await readChannel(models, channelId);
    if (!channel || channel.status !== 'connected' || !channel.tokenSealed) return undefined;
    return { channel, token: decryptString(deps.keyRing, channel.tokenSealed, channelTokenContext(channel._id)) };
  };

  const markFailed = async (messageId: string, why: string) =>
    models.Message.updateOne({ _id: messageId }, { $set: { status: why === 'window_closed' ? 'skipped' : 'failed', statusReason: why } });

  const onGraphError = async (err: GraphError, channelId: string, messageId: string): Promise<DeliveryResult> => {
    if (err.isRetryable) throw err; // rate limits and 5xx: the retry policy backs off
    if (err.kind === 'token_invalid') {
      await models.Channel.updateOne(
        { _id: channelId },
        { $set: { status: 'needs_reconnect', statusReason: 'token rejected by Meta (code 190)' } },
      );
      deps.log.warn({ channelId }, 'page token rejected; channel marked as needing reconnection');
    }
    await markFailed(messageId, err.kind);
    return { sent: false, why: err.kind, providerMessageIds: [] };
  };

  /**
   * The typing indicator: the widget polls the thread's flag; Messenger and Instagram get a sender action (best
   * effort, cosmetic). Meta threads never store the flag, which saves a write per reply.
   */
  const showTypingIn = async (
    conv: Pick<ConversationRow, '_id' | 'channel' | 'channelId' | 'contactId'>,
    isTyping: boolean,
    reads: Reads = {},
  ) => {
    if (conv.channel === 'web') {
      await models.Conversation.updateOne({ _id: conv._id }, { $set: { typing: isTyping } });
      return;
    }
    if (!isTyping) return;
    try {
      const sender = await (reads.sender ?? loadSender(conv.channelId));
      if (sender) await graph.sendSenderAction(sender.channel.externalId, sender.token, conv.contactId, 'typing_on');
    } catch (err) {
      deps.log.debug({ err: (err as Error).message }, 'typing indicator not shown'); // cosmetic only
    }
  };

  /** Sends one stored reply on a thread the caller has read (composeAndDeliverReply reads it once for both steps). */
  const deliverTo = async (conv: DeliverableConversation | null, messageId: string, reads: Reads = {}): Promise<DeliveryResult> => {
    const message = reads.message ?? (await readMessage(models, messageId));
    if (!message || !conv) throw ApplicationFailure.nonRetryable('reply or conversation no longer exists', Failure.NotFound);
    if (message.status === 'sent') return { sent: true, providerMessageIds: message.providerMessageIds ?? [] };
    // Never resent: a person decides (see delivery-claims.ts).
    if (message.status === 'delivery_unknown')
      return { sent: false, why: 'delivery_unknown', providerMessageIds: message.providerMessageIds ?? [] };
    const now = nowOf(deps);
    // The thread is written once: transcript, counters and typing together with the message's last write.
    const done = async (ids: string[]) => {
      const recent = mergeRecent(conv.recent, [
        {
          id: message._id,
          direction: 'outbound',
          author: message.author as 'assistant' | 'human',
          text: message.text ?? '',
          at: now.toISOString(),
        },
      ]);
      await models.Conversation.updateOne(
        { _id: conv._id },
        { $set: { typing: false, recent }, $max: { lastMessageAt: now }, $inc: { messageCount: 1 } },
      );
      return { sent: true, providerMessageIds: ids };
    };
    if (conv.channel === 'web') {
      await models.Message.updateOne({ _id: message._id }, { $set: { status: 'sent', sentAt: now, providerMessageIds: [] } });
      return done([]);
    }

    // Meta's messaging window: the bot never sends 24 hours after the customer's last message, a person up to 7 days.
    const sendWindow = messagingWindow(message.author, conv.lastInboundAt, now);
    if (sendWindow === 'closed') {
      await markFailed(message._id, 'window_closed');
      return { sent: false, why: 'window_closed', providerMessageIds: [] };
    }
    const sender = await (reads.sender ?? loadSender(conv.channelId));
    if (!sender) {
      await markFailed(message._id, 'channel_unavailable');
      return { sent: false, why: 'channel_unavailable', providerMessageIds: [] };
    }
    const chunks = splitMessage(message.text ?? '', LIMITS[conv.channel as 'messenger' | 'instagram']);
    const ids = [...(message.providerMessageIds ?? [])];
    const quickReplies = message.quickReplies ?? [];
    // This attempt's name on its claims: a retry or an overlapping attempt has another and cannot send our chunk.
    const token = randomUUID();
    const deadline = attemptDeadline();
    for (let i = message.sentChunks ?? 0; i < chunks.length; i++) {
      const isLast = i === chunks.length - 1;
      if (claims.isOutOfTime(deadline)) {
        throw ApplicationFailure.create({
          message: 'activity attempt nearly out of time; the next attempt resumes after the sent chunks',
          type: Failure.DeliveryInFlight,
        });
      }
      if (!(await claims.claim(message._id, i, token))) return claims.settleForeignClaim(message._id);
      const quick =
        isLast && quickReplies.length
          ? quickReplies.map((q) => ({ content_type: 'text' as const, title: q.title ?? '', payload: q.payload ?? '' }))
          : undefined;
      let res: { message_id: string };
      try {
        res = await graph.sendMessage(sender.channel.externalId, sender.token, {
          recipient: { id: conv.contactId },
          ...(sendWindow === 'human_agent'
            ? { messaging_type: 'MESSAGE_TAG' as const, tag: 'HUMAN_AGENT' as const }
            : { messaging_type: 'RESPONSE' as const }),
          message: { text: chunks[i]!, ...(quick ? { quick_replies: quick } : {}), metadata: 'luxleads:bot' },
        });
      } catch (err) {
        // It may have gone out: sending again could show the customer the same words twice.
        if (err instanceof GraphError && err.isOutcomeUnknown) return claims.markUnknown(message, token, ids);
        await claims.release(message._id, token);
        if (err instanceof GraphError) return onGraphError(err, sender.channel._id, message._id);
        throw err;
      }
      ids.push(res.message_id);
      // Every chunk's outcome is stored before the next is claimed, the last one's with the message's final status.
      const recorded = await claims.recordSent(message._id, token, {
        sentChunks: i + 1,
        providerMessageIds: ids,
        ...(isLast ? { status: 'sent', sentAt: now } : {}),
      });
      // The message was deleted or taken over meanwhile: report what it says now, send nothing more.
      if (!recorded) return claims.settleForeignClaim(message._id);
    }
    return done(ids);
  };

  return { showTypingIn, deliverTo, loadSender };
};

export const createDeliveryActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const { deliverTo } = createDelivery(deps);
  return {
    async deliverReply(input: { conversationId: string; messageId: string }): Promise<DeliveryResult> {
      return deliverTo(await findConversation(models, input.conversationId), input.messageId);
    },
  };
};
