/** Contract types of the ConversationWorkflow, shared by the webhook, the widget API and activities. */

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

export type ConversationSettings = {
  burstWindowMs: number;
  retentionDays: number;
  continueAsNewAfterBatches: number;
  maxRememberedIds: number;
};

export type CarriedState = {
  seenEventIds: string[];
  sentMessageIds: string[];
  mode: ConversationMode;
  pausedUntil?: number;
  hasDisclosed: boolean;
  messageCount: number;
  lastActivityAt?: number;
  windowExpiresAt?: number;
  leadId?: string;
  runs: number;
  pending: InboundEvent[];
  /** Owner echoes that arrived during a purge, for the fresh run after it. */
  pendingEchoes?: EchoEvent[];
  /** Workflow time the customer started waiting for a person; cleared when one replies (window-reminder.ts). */
  humanWaitSince?: number;
  /** The windowExpiresAt a reminder was already sent (or skipped) for. */
  remindedForWindow?: number;
};

export type ConversationInput = {
  key: ConversationKey;
  /** Channel document id for Meta channels, business publishable key for the widget. */
  channelId: string;
  workflowId: string;
  settings: ConversationSettings;
  carried?: CarriedState;
};

export type ConversationOutcome = { reason: 'purged_after_inactivity' | 'deleted_on_request'; messageCount: number };

export type ConversationState = {
  mode: ConversationMode;
  pausedUntil?: number;
  messageCount: number;
  leadId?: string;
  lastActivityAt?: number;
  windowExpiresAt?: number;
  isProcessing: boolean;
  runs: number;
};

export type ControlRequest =
  | { action: 'pause'; minutes?: number }
  | { action: 'resume' }
  | { action: 'restrict' }
  | { action: 'delete' }
  /** Send a stored outbound message (dashboard reply or approved draft); `isHandover` also pauses the bot. */
  | { action: 'deliver'; messageId: string; isHandover?: boolean };
