/** Notification senders from config: each integration present only when its credentials are set. */
import type { NotifyDeps } from '../activities/notifications/deps.js';
import type { Config } from '../config/schema.js';
import { createEmailSender } from '../integrations/email.js';
import { createWhatsAppClient } from '../integrations/whatsapp.js';
import { outboundPolicyFrom } from '../lib/outbound-target.js';
import { leadWebhookSettingsFrom } from '../starters/notification-workflows.js';

export const buildNotifyDeps = (config: Config): NotifyDeps => ({
  whatsapp:
    config.WHATSAPP_PHONE_NUMBER_ID && config.WHATSAPP_ACCESS_TOKEN
      ? {
          client: createWhatsAppClient({
            baseUrl: config.META_GRAPH_URL,
            version: config.META_GRAPH_VERSION,
            phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
            accessToken: config.WHATSAPP_ACCESS_TOKEN,
          }),
          templateName: config.WHATSAPP_TEMPLATE_NAME,
          templateLanguage: config.WHATSAPP_TEMPLATE_LANGUAGE,
        }
      : undefined,
  email: config.RESEND_API_KEY
    ? createEmailSender({
        apiKey: config.RESEND_API_KEY,
        baseUrl: config.RESEND_BASE_URL,
        timeoutMs: config.RESEND_TIMEOUT_MS,
        from: config.EMAIL_FROM,
      })
    : undefined,
  publicUrl: config.PUBLIC_URL,
  leadWebhooks: leadWebhookSettingsFrom(config),
  webhookTargets: outboundPolicyFrom(config),
});
