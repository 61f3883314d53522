/** The billing activities the BillingWorkflow calls; the reply path's check is in reply-gate.ts. */
import type { ActivityDeps } from '../deps.js';
import { createBillingAccountActivities } from './account.js';

export const createBillingActivities = (deps: ActivityDeps) => ({
  ...createBillingAccountActivities(deps),
});
