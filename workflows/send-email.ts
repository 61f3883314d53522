/**
 * Delivers one email in the background for a request that must not wait on Resend: retried with backoff until
 * Resend accepts it (one idempotency key on every attempt, so it goes out once) or refuses it.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { SendEmailInput, SendEmailResult } from '../activities/email/deliver.js';

export type { SendEmailInput, SendEmailResult } from '../activities/email/deliver.js';

/** One workflow per email: starting it again for the same key joins the first (see starters/emails.ts). Keys hold no address. */
export const sendEmailWorkflowId = (idempotencyKey: string) => `email:${idempotencyKey}`;

const mailer = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Resend remembers an idempotency key for 24 h: every retry lands inside that, so an outage never mails twice.
  scheduleToCloseTimeout: '20h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10m' },
});

export async function sendEmailWorkflow(input: SendEmailInput): Promise<SendEmailResult> {
  return mailer.deliverEmail(input);
}
