/** Everything activities need, handed in by the worker (real clients) or by tests (real clients aimed at fakes). */
import type { Client } from '@temporalio/client';
import type OpenAI from 'openai';
import type { Models } from '../db/models/index.js';
import type { MetaGraphClient } from '../integrations/meta-graph.js';
import type { KeyRing } from '../lib/crypto.js';
import type { Logger } from '../lib/logger.js';
import type { BillingDeps } from './billing/deps.js';
import type { NotifyDeps } from './notifications/deps.js';
import type { PrivacyDeps } from './privacy/deps.js';
import type { RecordRetention } from './privacy/record-retention.js';

export type ActivityDeps = {
  models: Models;
  log: Logger;
  graph: MetaGraphClient;
  openai?: { client: OpenAI; model: string; timeoutMs?: number };
  keyRing: KeyRing;
  /** For activities that start, update or erase other workflows (privacy requests, retention, closure). */
  temporal?: { client: Client; taskQueue: string };
  privacy?: PrivacyDeps;
  /** WhatsApp, email and lead-webhook settings for notifications; absent means every integration is disabled. */
  notify?: NotifyDeps;
  /** How long sessions, notification and delivery logs and audit entries are kept (config); absent means the defaults. */
  retention?: RecordRetention;
  /** Stripe and the plans' prices; absent without STRIPE_SECRET_KEY: every business is then on the unlimited local plan. */
  billing?: BillingDeps;
  /** Current time; tests with skipped time pass the environment's clock. */
  now?: () => Date;
};

export const nowOf = (deps: ActivityDeps) => (deps.now ? deps.now() : new Date());
