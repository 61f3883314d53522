/** What notification activities need besides the database: senders (absent when not configured) and settings. */
import type { EmailSender } from '../../integrations/email.js';
import type { WhatsAppClient } from '../../integrations/whatsapp.js';
import type { OutboundPolicy } from '../../lib/outbound-target.js';
import type { ActivityDeps } from '../deps.js';

export type LeadWebhookSettings = {
  initialRetryMs: number;
  maxRetryMs: number;
  giveUpAfterMs: number;
  disableAfterFailures: number;
};

export type NotifyDeps = {
  whatsapp?: { client: WhatsAppClient; templateName: string; templateLanguage: string };
  email?: EmailSender;
  /** Dashboard links in messages: `{publicUrl}/app/leads/{leadId}`. */
  publicUrl: string;
  leadWebhooks: LeadWebhookSettings;
  /** Which addresses lead webhooks may reach; absent means public addresses only. */
  webhookTargets?: OutboundPolicy;
};

export const DEFAULT_LEAD_WEBHOOK_SETTINGS: LeadWebhookSettings = {
  initialRetryMs: 30_000,
  maxRetryMs: 60 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
  disableAfterFailures: 5,
};

/** Integrations missing from deps behave as "disabled": notifications are recorded as skipped, never crash. */
export const notifyOf = (deps: ActivityDeps): NotifyDeps =>
  deps.notify ?? { publicUrl: 'http://127.0.0.1:3000', leadWebhooks: DEFAULT_LEAD_WEBHOOK_SETTINGS };

export const dashboardLeadUrl = (n: NotifyDeps, leadId: string) =>
  `${n.publicUrl.replace(/\/+$/, '')}/app/leads/${encodeURIComponent(leadId)}`;
export const dashboardConversationUrl = (n: NotifyDeps, conversationId: string) =>
  `${n.publicUrl.replace(/\/+$/, '')}/app/conversations/${encodeURIComponent(conversationId)}`;
