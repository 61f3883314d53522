/** What notification activities need besides the database: senders (absent when not configured) and settings. */
import type { EmailSender } from '../../integrations/email.js';
import type { WhatsAppClient } from '../../integrations/whatsapp.js';
import type { OutboundPolicy } from '../../lib/outbound-target.js';

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

export const dashboardLeadUrl = (n: NotifyDeps, leadId: string) =>
  `${n.publicUrl.replace(/\/+$/, '')}/app/leads/${encodeURIComponent(leadId)}`;
export const dashboardConversationUrl = (n: NotifyDeps, conversationId: string) =>
  `${n.publicUrl.replace(/\/+$/, '')}/app/conversations/${encodeURIComponent(conversationId)}`;
