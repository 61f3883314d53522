/** createActivities(deps): every activity the worker registers, built from the clients it is given. */
import { createConversationStoreActivities } from './conversation/store.js';
import { createDeliveryActivities } from './conversation/delivery.js';
import type { ActivityDeps } from './deps.js';
import { createNotificationActivities } from './notifications/notify-business.js';
import { createPrivacyActivities } from './privacy/index.js';
import { createReplyActivities } from './conversation/reply.js';
import { createTokenHealthActivities } from './channels/token-health.js';
import { createBillingActivities } from './billing/index.js';
import { createEmailActivities } from './email/deliver.js';
import { createOutreachActivities } from './outreach/index.js';

export type { ActivityDeps } from './deps.js';

export const createActivities = (deps: ActivityDeps) => ({
  ...createConversationStoreActivities(deps),
  ...createReplyActivities(deps),
  ...createDeliveryActivities(deps),
  ...createNotificationActivities(deps),
  ...createPrivacyActivities(deps),
  ...createTokenHealthActivities(deps),
  ...createBillingActivities(deps),
  ...createEmailActivities(deps),
  ...createOutreachActivities(deps),
});

export type Activities = ReturnType<typeof createActivities>;
