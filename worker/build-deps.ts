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
import { loggedEmailSenderFrom } from '../domain/emails/send-log.js';
import type { EmailSender } from '../integrations/email.js';
import { createMetaGraphClient } from '../integrations/meta-graph.js';
import { createOpenAIClient } from '../integrations/openai.js';
import { createWhatsAppClient } from '../integrations/whatsapp.js';
import type { Logger } from '../lib/logger.js';
import { outboundPolicyFrom } from '../lib/outbound-target.js';
import { leadWebhookSettingsFrom } from '../starters/notification-workflows.js';

/** `email`: the one logged sender (buildActivityDeps); absent, notifications are recorded as skipped. */
export const notifyDepsFrom = (config: Config, email?: EmailSender): NotifyDeps => ({
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
  email,
  publicUrl: config.PUBLIC_URL,
  leadWebhooks: leadWebhookSettingsFrom(config),
  webhookTargets: outboundPolicyFrom(config),
});

export const privacyDepsFrom = (config: Config, email?: EmailSender): PrivacyDeps => ({
  complianceEmail: config.COMPLIANCE_EMAIL,
  publicUrl: config.PUBLIC_URL.replace(/\/+$/, ''),
  metaAppToken: config.META_APP_ID && config.META_APP_SECRET ? `${config.META_APP_ID}|${config.META_APP_SECRET}` : undefined,
  email,
});

const retentionFrom = (config: Config): RecordRetention => ({
  auditDays: config.AUDIT_RETENTION_DAYS,
  sessionGraceDays: config.SESSION_RETENTION_GRACE_DAYS,
  notificationDays: config.NOTIFICATION_RETENTION_DAYS,
  webhookDeliveryDays: config.WEBHOOK_DELIVERY_RETENTION_DAYS,
  emailSendDays: config.EMAIL_SEND_RETENTION_DAYS,
  stripeEventDays: config.STRIPE_EVENT_RETENTION_DAYS,
  outreachProspectDays: config.OUTREACH_PROSPECT_RETENTION_DAYS,
});

/** The one sender of activities, through the send log (email_sends): no activity can mail unlogged. */
const activityEmailSender = (config: Config, db: Db, log: Logger) =>
  loggedEmailSenderFrom(config, { models: db.models, keyRing: config.ENCRYPTION_KEY, log });

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
  notify: notifyDepsFrom(config, activityEmailSender(config, db, log)),
  privacy: privacyDepsFrom(config, activityEmailSender(config, db, log)),
  billing: buildBillingDeps(config),
  retention: retentionFrom(config),
  outreach: { email: activityEmailSender(config, db, log), company: companyIdentityOf(config), publicUrl: config.PUBLIC_URL },
  ...extra,
});
