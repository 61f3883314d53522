/**
 * Builds the activity dependencies from config: real clients, each pointed at its configured base URL. An
 * integration without credentials gets its disabled form (an OpenAI client that is not enabled, no email or
 * WhatsApp sender), so the activities skip it the way they always have and no dependency is ever absent.
 */
import type { ActivityDeps } from '../activities/deps.js';
import { buildBillingDeps } from '../activities/billing/deps.js';
import type { NotifyDeps } from '../activities/notifications/deps.js';
import type { PrivacyDeps, RecordRetention } from '../activities/privacy/deps.js';
import { companyIdentityOf } from '../config/company.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../db/connection.js';
import { emailSenderFrom } from '../integrations/email.js';
import { createMetaGraphClient } from '../integrations/meta-graph.js';
import { createOpenAIClient } from '../integrations/openai.js';
import { createWhatsAppClient } from '../integrations/whatsapp.js';
import type { Logger } from '../lib/logger.js';
import { outboundPolicyFrom } from '../lib/outbound-target.js';
import { leadWebhookSettingsFrom } from '../starters/notification-workflows.js';

export const notifyDepsFrom = (config: Config): NotifyDeps => ({
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
  email: emailSenderFrom(config),
  publicUrl: config.PUBLIC_URL,
  leadWebhooks: leadWebhookSettingsFrom(config),
  webhookTargets: outboundPolicyFrom(config),
});

export const privacyDepsFrom = (config: Config): PrivacyDeps => ({
  complianceEmail: config.COMPLIANCE_EMAIL,
  publicUrl: config.PUBLIC_URL.replace(/\/+$/, ''),
  metaAppToken: config.META_APP_ID && config.META_APP_SECRET ? `${config.META_APP_ID}|${config.META_APP_SECRET}` : undefined,
  email: emailSenderFrom(config),
});

const retentionFrom = (config: Config): RecordRetention => ({
  auditDays: config.AUDIT_RETENTION_DAYS,
  sessionGraceDays: config.SESSION_RETENTION_GRACE_DAYS,
  notificationDays: config.NOTIFICATION_RETENTION_DAYS,
  webhookDeliveryDays: config.WEBHOOK_DELIVERY_RETENTION_DAYS,
  outreachProspectDays: config.OUTREACH_PROSPECT_RETENTION_DAYS,
});

/** `temporal`: the worker's own client, for activities that start or erase other workflows. */
export const buildActivityDeps = (config: Config, db: Db, log: Logger, extra: Pick<ActivityDeps, 'temporal'> = {}): ActivityDeps => ({
  models: db.models,
  log,
  keyRing: config.ENCRYPTION_KEY,
  graph: createMetaGraphClient({
    baseUrl: config.META_GRAPH_URL,
    version: config.META_GRAPH_VERSION,
    appId: config.META_APP_ID,
    appSecret: config.META_APP_SECRET,
  }),
  openai: createOpenAIClient(config),
  notify: notifyDepsFrom(config),
  privacy: privacyDepsFrom(config),
  billing: buildBillingDeps(config),
  retention: retentionFrom(config),
  outreach: { email: emailSenderFrom(config), company: companyIdentityOf(config), publicUrl: config.PUBLIC_URL },
  ...extra,
});
