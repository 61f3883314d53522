/** What the billing routes and the Stripe webhook need, passed down from createApp. */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TemporalTarget } from '../../temporal/deadline.js';
import type { AuthDeps } from '../auth/deps.js';

export type BillingWebhookDeps = { config: Config; models: Models; log: Logger; temporal: TemporalTarget };
export type BillingApiDeps = BillingWebhookDeps & { auth: AuthDeps };
