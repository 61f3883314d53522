/** What the outreach routes need: config, models, the auth of the staff API, and Temporal for the workflows. */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TemporalTarget } from '../../temporal/deadline.js';
import type { AuthDeps } from '../auth/deps.js';

export type OutreachPublicDeps = { config: Config; models: Models; log: Logger; temporal: TemporalTarget };
export type OutreachApiDeps = OutreachPublicDeps & { auth: AuthDeps };

/** Every platform role may run outreach; each write is audited with the staff user. */
export const OUTREACH_ROLES = ['support', 'compliance', 'admin'] as const;
