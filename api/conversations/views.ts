/** What the dashboard sees of conversations and messages: no contact ids, no provider ids, no tokens. */
import type { ConversationState } from '../../workflows/conversation.js';
import type { URGENCIES } from '../../db/models/lead.js';
import { windowExpiresAtOf, type ConversationRow, type MessageRow } from '../../domain/conversation-records.js';
import { isoOrNull } from '../../lib/iso.js';

/** Characters of the last message shown in the inbox list; the whole text stays behind the conversation's page. */
export const PREVIEW_CHARS = 120;

export type LeadSummary = { _id: string; name?: string | null; urgency?: string | null };

/** The message shortened on the server, so the list never carries whole messages: whitespace folded, cut at a word. */
export const previewOf = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= PREVIEW_CHARS) return flat;
  const cut = chars.slice(0, PREVIEW_CHARS - 1).join('');
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > PREVIEW_CHARS / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
};

export const conversationView = (c: ConversationRow) => ({
  id: c._id,
  channel: c.channel,
  channelId: c.channelId,
  mode: c.mode,
  pausedUntil: isoOrNull(c.pausedUntil),
  needsReview: c.needsReview,
  reviewReason: c.reviewReason ?? null,
  leadId: c.leadId ?? null,
  messageCount: c.messageCount,
  lastMessageAt: isoOrNull(c.lastMessageAt),
  lastInboundAt: isoOrNull(c.lastInboundAt),
  windowExpiresAt: isoOrNull(windowExpiresAtOf(c)),
  createdAt: isoOrNull(c.createdAt),
});

/** A row of the inbox list: the conversation, who the lead is, and the last message (drafts are not in `recent`). */
export const conversationListItemView = (c: ConversationRow, lead: LeadSummary | undefined) => {
  const last = c.recent?.at(-1);
  return {
    ...conversationView(c),
    leadName: lead?.name ?? null,
    urgency: (lead?.urgency ?? null) as (typeof URGENCIES)[number] | null,
    lastMessage: last?.text
      ? { author: (last.author ?? 'visitor') as 'visitor' | 'assistant' | 'human', preview: previewOf(last.text), at: isoOrNull(last.at) }
      : null,
  };
};

export const messageView = (m: MessageRow) => ({
  id: m._id,
  conversationId: m.conversationId,
  direction: m.direction,
  author: m.author,
  text: m.text ?? '',
  status: m.status,
  statusReason: m.statusReason ?? null,
  at: m.at.toISOString(),
  sentAt: isoOrNull(m.sentAt),
});

export const stateView = (s: ConversationState) => ({
  mode: s.mode,
  pausedUntil: s.pausedUntil !== undefined ? new Date(s.pausedUntil).toISOString() : null,
  messageCount: s.messageCount,
  isProcessing: s.isProcessing,
});
