/** Every privacy, retention and account-closure activity, registered with one line in createActivities. */
import type { ActivityDeps } from '../deps.js';
import { createAccountClosureActivities } from './account-closure.js';
import { createChatConfirmationActivities } from './chat-confirmation.js';
import { createPrivacyErasureActivities } from './erasure.js';
import { createPrivacyIntakeActivities } from './intake.js';
import { createPrivacyNoticeActivities } from './notices.js';
import { createPrivacyRequestActivities } from './requests.js';
import { createRetentionActivities } from './retention.js';
import { createPrivacyRightsActivities } from './rights.js';
import { createPrivacySubjectActivities } from './subject.js';
import { createPrivacyTombstoneActivities } from './tombstones.js';

export const createPrivacyActivities = (deps: ActivityDeps) => ({
  ...createPrivacyRequestActivities(deps),
  ...createPrivacySubjectActivities(deps),
  ...createPrivacyTombstoneActivities(deps),
  ...createPrivacyErasureActivities(deps),
  ...createPrivacyRightsActivities(deps),
  ...createPrivacyIntakeActivities(deps),
  ...createChatConfirmationActivities(deps),
  ...createPrivacyNoticeActivities(deps),
  ...createRetentionActivities(deps),
  ...createAccountClosureActivities(deps),
});
