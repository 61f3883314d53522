/** What the Meta connection use cases need; the router builds it once from AppDeps. */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { MetaGraphClient } from '../../integrations/meta-graph.js';
import type { Logger } from '../../lib/logger.js';

export type MetaConnectDeps = {
  config: Config;
  models: Models;
  graph: MetaGraphClient;
  log: Logger;
  /** Drops the webhook's page → business cache so a change is routed at once. */
  invalidateRoutes?: () => void;
  /** Makes sure the business's token health check is running (idempotent). */
  ensureTokenHealth?: (businessId: string) => Promise<void>;
  now?: () => Date;
};

export type Actor = { userId: string; role?: string };

export const nowFrom = (deps: Pick<MetaConnectDeps, 'now'>) => (deps.now ? deps.now() : new Date());

/** The app token (`app-id|app-secret`): lets the server revoke a grant without keeping the person's user token. */
export const appToken = (config: Pick<Config, 'META_APP_ID' | 'META_APP_SECRET'>) =>
  `${config.META_APP_ID ?? ''}|${config.META_APP_SECRET ?? ''}`;
