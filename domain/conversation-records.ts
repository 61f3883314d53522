/**
 * The stored side of a conversation: its `conversations` row and `messages` rows as read back, and the one way to
 * load a thread. The ConversationWorkflow's activities write them; the dashboard API reads them.
 */
import type { Models } from '../db/models/index.js';
import { messagingWindowExpiresAt, type ConversationChannel, type ConversationMode } from './conversation.js';
import type { RecentEntry } from './transcript.js';

type Maybe<T> = T | null | undefined;

export type ConversationRow = {
  /** The workflow id of the thread. */
  _id: string;
  businessId: string;
  channel: ConversationChannel;
  /** Channel document id for Meta channels, business publishable key for the widget. */
  channelId: string;
  /** PSID, IGSID or widget session id: never shown to the dashboard. */
  contactId: string;
  workflowId: string;
  mode: ConversationMode;
  pausedUntil?: Maybe<Date>;
  needsReview: boolean;
  reviewReason?: Maybe<string>;
  leadId?: Maybe<string>;
  typing?: Maybe<boolean>;
  messageCount: number;
  lastMessageAt?: Maybe<Date>;
  lastInboundAt?: Maybe<Date>;
  /** The rolling transcript the assistant reads (domain/transcript.ts). */
  recent?: Maybe<RecentEntry[]>;
  createdAt?: Maybe<Date>;
};

export type MessageRow = {
  _id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  author: 'visitor' | 'assistant' | 'human';
  text?: Maybe<string>;
  status: string;
  statusReason?: Maybe<string>;
  at: Date;
  sentAt?: Maybe<Date>;
  /** Meta mid or widget clientMessageId of an inbound message. */
  externalId?: Maybe<string>;
  updatedAt?: Maybe<Date>;
};

/**
 * The thread with this id, or null. With `businessId` only that business's thread is found, as the dashboard
 * asks on a member's behalf; activities, working for the thread's own workflow, load it by id alone.
 */
export const findConversation = async (models: Models, conversationId: string, scope: { businessId?: string } = {}) => {
  const row: ConversationRow | null = await models.Conversation.findOne({
    _id: conversationId,
    ...(scope.businessId !== undefined ? { businessId: scope.businessId } : {}),
  }).lean();
  return row;
};

/** When the thread's standard messaging window closes: 24 h after the customer's last message (not on the widget). */
export const windowExpiresAtOf = (c: Pick<ConversationRow, 'channel' | 'lastInboundAt'>): Date | undefined => {
  const at = messagingWindowExpiresAt(c.channel, c.lastInboundAt?.getTime());
  return at === undefined ? undefined : new Date(at);
};

/**
 * The fields of a new assistant message, for `$setOnInsert` under its deterministic id: a retried step finds the row
 * it wrote instead of storing the message twice.
 */
export const newAssistantMessage = (
  conv: Pick<ConversationRow, '_id' | 'businessId' | 'channel'>,
  message: { text: string; status: 'pending' | 'draft'; at: Date; quickReplies?: { title: string; payload: string }[] | undefined },
) => ({
  conversationId: conv._id,
  businessId: conv.businessId,
  channel: conv.channel,
  direction: 'outbound' as const,
  author: 'assistant' as const,
  ...message,
});
