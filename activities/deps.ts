/** Everything activities need, handed in by the worker (real clients) or by tests (real clients aimed at fakes). */
import type { Client } from '@temporalio/client';
import type { Models } from '../db/models/index.js';
import type { MetaGraphClient } from '../integrations/meta-graph.js';
import type { OpenAIClient } from '../integrations/openai.js';
import type { KeyRing } from '../lib/crypto.js';
import type { Logger } from '../lib/logger.js';
import type { BillingDeps } from './billing/deps.js';
import type { NotifyDeps } from './notifications/deps.js';
import type { OutreachDeps } from './outreach/deps.js';
import type { PrivacyDeps, RecordRetention } from './privacy/deps.js';

export type ActivityDeps = {
  models: Models;
  log: Logger;
  graph: MetaGraphClient;
  /** Disabled without OPENAI_API_KEY: replies then come from the offline responder. */
  openai: OpenAIClient;
  keyRing: KeyRing;
  /** For activities that start, update or erase other workflows (privacy requests, retention, closure). */
  temporal?: { client: Client; taskQueue: string };
  privacy: PrivacyDeps;
  /** WhatsApp, email and lead-webhook settings for notifications; an integration without credentials is skipped. */
  notify: NotifyDeps;
  /** How long sessions, notification and delivery logs and audit entries are kept (config). */
  retention: RecordRetention;
  /** Stripe and the plans' prices; absent without STRIPE_SECRET_KEY: every business is then on the unlimited local plan. */
  billing?: BillingDeps;
  /** Staff outreach campaigns (sender, company identity, link base); absent in tests that do not send outreach. */
  outreach?: OutreachDeps;
  /** Current time; tests with skipped time pass the environment's clock. */
  now?: () => Date;
};

export const nowOf = (deps: ActivityDeps) => (deps.now ? deps.now() : new Date());
