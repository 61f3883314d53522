/**
 * Contract types of the ConversationWorkflow shared by the webhook, the widget API and activities. The workflow's
 * own input, carried state and result types live beside it in workflows/conversation.ts.
 */

import { DAY_MS, HOUR_MS, MINUTE_MS } from '../lib/durations.js';

export type ConversationChannel = 'messenger' | 'instagram' | 'web';
export type ConversationMode = 'auto' | 'paused' | 'off' | 'restricted';

export type ConversationKey = { businessId: string; channel: ConversationChannel; contactId: string };

/** A message or postback from the customer; text travels encrypted by the payload codec. */
export type InboundEvent = {
  /** Meta mid (or a key derived from the event), widget clientMessageId: the idempotency key. */
  eventId: string;
  kind: 'message' | 'postback';
  text: string;
  /** Provider timestamp, epoch ms. */
  at: number;
  quickReplyPayload?: string;
  attachmentTypes?: string[];
};

/** A message the Page sent that Meta echoed back: from our app, or from a person in Meta Business Suite. */
export type EchoEvent = { eventId: string; at: number; text: string; fromOurApp: boolean | 'unknown' };

/**
 * When an inactive thread is purged. The policy promises no copy of a conversation lives past `retentionDays` of
 * inactivity; Temporal keeps a closed workflow history for the namespace's retention (`historyRetentionHours`)
 * after the thread's workflow ends, so the purge runs that much earlier and the last copy is gone by the promise.
 */
export const conversationPurgeAfterMs = (retentionDays: number, historyRetentionHours = 0) =>
  retentionDays * DAY_MS - historyRetentionHours * HOUR_MS;

/**
 * The retention sweep counts a thread as a straggler (its workflow failed or was lost) this long after the thread's
 * own purge was due, so it never races a healthy workflow's purge; the sweep's interval plus this margin must stay
 * within the namespace retention for the promise to hold (config checks it).
 */
export const STRAGGLER_MARGIN_MS = 10 * MINUTE_MS;

/** How long the assistant stays paused after a person steps in, for a business that has not set its own. */
export const DEFAULT_HANDOVER_PAUSE_MINUTES = 12 * 60;
/** The longest pause a business setting or a dashboard pause may ask for: 30 days. */
export const MAX_PAUSE_MINUTES = 30 * 24 * 60;

/** A dashboard (or privacy workflow) request to a running conversation; the workflow applies it in order. */
export type ControlRequest =
  | { action: 'pause'; minutes?: number }
  | { action: 'resume' }
  | { action: 'restrict' }
  | { action: 'delete' }
  /** Send a stored outbound message (dashboard reply or approved draft); `isHandover` also pauses the bot. */
  | { action: 'deliver'; messageId: string; isHandover?: boolean };

/**
 * A stored message's `_id`: its thread's id, then the event that made it (Meta mid, widget clientMessageId,
 * `reply:<key>`, `human:<uuid>`). Deterministic, so a redelivered or retried event meets its own row.
 */
export const messageIdOf = (conversationId: string, eventId: string) => `${conversationId}|${eventId}`;
/** The assistant's reply to one batch of customer messages. */
export const replyMessageIdOf = (conversationId: string, replyKey: string) => messageIdOf(conversationId, `reply:${replyKey}`);
/** A reply written in the dashboard; `uniqueId` is new per request. */
export const humanReplyMessageIdOf = (conversationId: string, uniqueId: string) => messageIdOf(conversationId, `human:${uniqueId}`);
/** Whether a message belongs to this thread: a control may deliver only the thread's own messages. */
export const isMessageOf = (conversationId: string, messageId: string) => messageId.startsWith(messageIdOf(conversationId, ''));

/** Meta's standard messaging window: anyone may answer within 24 h of the customer's last message. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;
/** After the standard window, up to 7 days, only a person may answer, with the HUMAN_AGENT tag (never the bot). */
export const HUMAN_AGENT_WINDOW_MS = 7 * MESSAGING_WINDOW_MS;

export type MessagingWindow = 'standard' | 'human_agent' | 'closed';

/** When the standard window of a thread closes (epoch ms); the widget has no window. */
export const messagingWindowExpiresAt = (channel: ConversationChannel, lastInboundAt: number | undefined): number | undefined =>
  channel === 'web' || lastInboundAt === undefined ? undefined : lastInboundAt + MESSAGING_WINDOW_MS;

/** Which window a Meta message by `author` falls in at `now`: inside the standard one through its last millisecond. */
export const messagingWindow = (author: string, lastInboundAt: Date | null | undefined, now: Date): MessagingWindow => {
  const age = lastInboundAt ? now.getTime() - lastInboundAt.getTime() : Infinity;
  if (age <= MESSAGING_WINDOW_MS) return 'standard';
  return author === 'human' && age <= HUMAN_AGENT_WINDOW_MS ? 'human_agent' : 'closed';
};
