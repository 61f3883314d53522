/** What the privacy routes need, passed down from createApp. */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { EmailSender } from '../../integrations/email.js';
import type { Logger } from '../../lib/logger.js';
import type { TemporalTarget } from '../../temporal/deadline.js';
import type { AuthDeps } from '../auth/deps.js';

export type PrivacyRouterDeps = { config: Config; models: Models; log: Logger; temporal: TemporalTarget };
/** The public side (Meta's callbacks, the form, the status page); absent `email` means confirmation links cannot be mailed. */
export type PrivacyPublicDeps = PrivacyRouterDeps & { email?: EmailSender };
/** The dashboard side (rights requests, account closure). */
export type PrivacyApiDeps = PrivacyRouterDeps & { auth: AuthDeps };
