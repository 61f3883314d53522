/** What the dashboard sees of conversations and messages: no contact ids, no provider ids, no tokens. */
import type { ConversationState } from '../../workflows/conversation.js';
import { windowExpiresAtOf, type ConversationRow, type MessageRow } from '../../domain/conversation-records.js';

const iso = (d?: Date | null) => d?.toISOString() ?? null;

export const conversationView = (c: ConversationRow) => ({
  id: c._id,
  channel: c.channel,
  channelId: c.channelId,
  mode: c.mode,
  pausedUntil: iso(c.pausedUntil),
  needsReview: c.needsReview,
  reviewReason: c.reviewReason ?? null,
  leadId: c.leadId ?? null,
  messageCount: c.messageCount,
  lastMessageAt: iso(c.lastMessageAt),
  lastInboundAt: iso(c.lastInboundAt),
  windowExpiresAt: iso(windowExpiresAtOf(c)),
  createdAt: iso(c.createdAt),
});

export const messageView = (m: MessageRow) => ({
  id: m._id,
  conversationId: m.conversationId,
  direction: m.direction,
  author: m.author,
  text: m.text ?? '',
  status: m.status,
  statusReason: m.statusReason ?? null,
  at: m.at.toISOString(),
  sentAt: iso(m.sentAt),
});

export const stateView = (s: ConversationState) => ({
  mode: s.mode,
  pausedUntil: s.pausedUntil !== undefined ? new Date(s.pausedUntil).toISOString() : null,
  messageCount: s.messageCount,
  isProcessing: s.isProcessing,
});
