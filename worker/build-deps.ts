/** Builds the activity dependencies from config: real clients, each pointed at its configured base URL. */
import OpenAI from 'openai';
import type { ActivityDeps } from '../activities/deps.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../db/connection.js';
import { createMetaGraphClient } from '../integrations/meta-graph.js';
import type { Logger } from '../lib/logger.js';
import { buildNotifyDeps } from './build-notify-deps.js';
import { buildPrivacyDeps } from '../activities/privacy/deps.js';
import { buildBillingDeps } from '../activities/billing/deps.js';

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
  openai: config.OPENAI_API_KEY
    ? {
        client: new OpenAI({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          timeout: config.OPENAI_TIMEOUT_MS,
          maxRetries: 1,
        }),
        model: config.OPENAI_MODEL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
      }
    : undefined,
  notify: buildNotifyDeps(config),
  privacy: buildPrivacyDeps(config),
  billing: buildBillingDeps(config),
  retention: {
    auditDays: config.AUDIT_RETENTION_DAYS,
    sessionGraceDays: config.SESSION_RETENTION_GRACE_DAYS,
    notificationDays: config.NOTIFICATION_RETENTION_DAYS,
    webhookDeliveryDays: config.WEBHOOK_DELIVERY_RETENTION_DAYS,
  },
  ...extra,
});
