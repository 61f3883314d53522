/** Every privacy, retention and account-closure activity, registered with one line in createActivities. */
import type { ActivityDeps } from './deps.js';
import { createAccountClosureActivities } from './privacy-closure.js';
import { createPrivacyErasureActivities } from './privacy-erasure.js';
import { createPrivacyIntakeActivities } from './privacy-intake.js';
import { createPrivacyRequestActivities } from './privacy-requests.js';
import { createRetentionActivities } from './privacy-retention.js';
import { createPrivacyRightsActivities } from './privacy-rights.js';
import { createPrivacySubjectActivities } from './privacy-subject.js';
import { createPrivacyTombstoneActivities } from './privacy-tombstones.js';

export const createPrivacyActivities = (deps: ActivityDeps) => ({
  ...createPrivacyRequestActivities(deps),
  ...createPrivacySubjectActivities(deps),
  ...createPrivacyTombstoneActivities(deps),
  ...createPrivacyErasureActivities(deps),
  ...createPrivacyRightsActivities(deps),
  ...createPrivacyIntakeActivities(deps),
  ...createRetentionActivities(deps),
  ...createAccountClosureActivities(deps),
});
