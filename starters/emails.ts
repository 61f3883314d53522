/**
 * Queues an email for background delivery (sendEmailWorkflow): what API requests use instead of awaiting Resend.
 * Durable once this resolves; the request answers without waiting for the send, and an outage is retried later.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { EmailMessage } from '../integrations/email.js';
import { withCallDeadline, type TemporalTarget } from '../temporal/deadline.js';
import { sendEmailWorkflow, sendEmailWorkflowId } from '../workflows/send-email.js';

export type EmailOutbox = { queue(message: EmailMessage): Promise<void> };

export const temporalEmailOutbox = (t: TemporalTarget): EmailOutbox => ({
  async queue(message) {
    try {
      await withCallDeadline(t, () =>
        t.client.workflow.start(sendEmailWorkflow, {
          workflowId: sendEmailWorkflowId(message.idempotencyKey),
          taskQueue: t.taskQueue,
          args: [{ message }],
          // The same email queued twice (a retried request) is one workflow; only a failed one may run again.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  },
});
