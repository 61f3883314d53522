/**
 * For a business in digest mode: one email a day at 18:00 business time listing the new leads that got no
 * instant email; each day is a fresh run (continue-as-new), and the workflow ends once the business
 * switches back to instant mode with nothing left to send.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { workflowNow } from './helpers.js';

export type NotificationDigestInput = { businessId: string };
export type NotificationDigestOutcome = { reason: 'instant_mode' | 'business_gone' };

export const notificationDigestWorkflowId = (businessId: string) => `digest:${businessId}`;

/** Every start of a business's digest, from the API or as a child: one running digest per business. */
export const notificationDigestStart = (businessId: string) => ({
  workflowId: notificationDigestWorkflowId(businessId),
  args: [{ businessId }] as [NotificationDigestInput],
});

const digest = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  // Resend outages are waited out (the idempotency key makes every retry safe); a digest late is better than none.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m' },
});

export async function notificationDigestWorkflow(input: NotificationDigestInput): Promise<NotificationDigestOutcome> {
  // The activity works out the next 18:00 in the business's timezone; workflow time is passed in, never read there.
  const plan = await digest.planDailyDigest({ businessId: input.businessId, nowMs: workflowNow() });
  if (plan.status !== 'scheduled') return { reason: plan.status };
  await sleep(Math.max(1, plan.sendAt - workflowNow()));
  await digest.sendDailyDigest({ businessId: input.businessId, localDate: plan.localDate, cutoffMs: plan.sendAt });
  return continueAsNew<typeof notificationDigestWorkflow>(input);
}
