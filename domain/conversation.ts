/**
 * Contract types of the ConversationWorkflow shared by the webhook, the widget API and activities. The workflow's
 * own input, carried state and result types live beside it in workflows/conversation.ts.
 */

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
