/**
 * Closes a business account: at once, channels are disconnected, tokens deleted and billing cancelled;
 * then (at once, or after the grace period the API passes from ACCOUNT_CLOSURE_GRACE_DAYS) every lead, conversation, message, event, channel, API key
 * and membership is erased and the business is left as a `closed` tombstone. Each step leaves an audit entry.
 */
import type { RetryPolicy } from '@temporalio/common';
import { defineQuery, proxyActivities, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { RequestDueAtAttr, RequestKindAttr, RequestStatusAttr, TenantIdAttr } from '../temporal/search-attributes.js';
import { workflowNow } from './helpers.js';
import { DEFAULT_STEP_RETRY } from './privacy-request-tracker.js';

export type AccountClosureInput = { businessId: string; requestedBy?: string; graceMs?: number; stepRetry?: RetryPolicy };
export type AccountClosureStatus = { status: 'closing' | 'closed'; purgeAt: number; steps: string[] };
export type AccountClosureResult = { businessId: string; status: 'closed'; counts: Record<string, number> };

export const accountClosureWorkflowId = (businessId: string) => `account-closure:${businessId}`;
export const accountClosureStatusQuery = defineQuery<AccountClosureStatus>('accountClosureStatus');

/** Only for inputs that name no grace period (closures started before it was configurable). */
export const CLOSURE_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

export async function accountClosureWorkflow(input: AccountClosureInput): Promise<AccountClosureResult> {
  const steps = proxyActivities<Activities>({ startToCloseTimeout: '10m', retry: { ...DEFAULT_STEP_RETRY, ...input.stepRetry } });
  const state: AccountClosureStatus = { status: 'closing', purgeAt: workflowNow() + (input.graceMs ?? CLOSURE_GRACE_MS), steps: [] };
  setHandler(accountClosureStatusQuery, () => state);
  const { businessId } = input;
  upsertSearchAttributes([
    { key: TenantIdAttr, value: businessId },
    { key: RequestKindAttr, value: 'account_closure' },
    { key: RequestStatusAttr, value: 'in_progress' },
    { key: RequestDueAtAttr, value: new Date(state.purgeAt) },
  ]);
  const done = <T>(name: string, value: T) => {
    state.steps.push(name);
    return value;
  };

  done('begin', await steps.beginAccountClosure({ businessId, requestedBy: input.requestedBy, purgeAt: state.purgeAt }));
  done('disconnect_channels', await steps.disconnectChannelsForClosure({ businessId }));
  done('cancel_billing', await steps.cancelSubscriptionForClosure({ businessId }));

  // The grace period, when there is one: the owner can still export their leads; nothing new arrives (channels are gone).
  if (state.purgeAt > workflowNow()) await sleep(state.purgeAt - workflowNow());

  const conversationCounts: Record<string, number> = {};
  for (let more = true; more;) {
    const batch = await steps.purgeBusinessConversations({ businessId });
    for (const [k, v] of Object.entries(batch.counts)) conversationCounts[k] = (conversationCounts[k] ?? 0) + v;
    more = batch.hasMore;
  }
  const purged = done('purge', await steps.purgeBusinessRecords({ businessId, conversationCounts }));
  state.status = 'closed';
  upsertSearchAttributes([{ key: RequestStatusAttr, value: 'completed' }]);
  return { businessId, status: 'closed', counts: purged.counts };
}
