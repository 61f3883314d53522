/**
 * The activity behind sendEmailWorkflow: one send through the worker's logged sender. A transient failure throws
 * (the workflow's retry policy backs off); a refusal is an outcome, not retried.
 */
import { EmailError, type EmailMessage } from '../../integrations/email.js';
import type { ActivityDeps } from '../deps.js';

/** sendEmailWorkflow's input and result (here, below the workflow, so both layers can name them). */
export type SendEmailInput = { message: EmailMessage };
export type SendEmailResult = { status: 'sent' | 'refused' | 'not_configured' };

export const createEmailActivities = (deps: ActivityDeps) => ({
  async deliverEmail(input: SendEmailInput): Promise<SendEmailResult> {
    const email = deps.notify.email;
    const { template, businessId } = input.message;
    if (!email) {
      deps.log.warn({ template, businessId }, 'email not sent: set RESEND_API_KEY');
      return { status: 'not_configured' };
    }
    try {
      await email.send(input.message);
      return { status: 'sent' };
    } catch (err) {
      if (!(err instanceof EmailError) || err.isRetryable) throw err;
      // already_sent: an earlier attempt with this key went out.
      if (err.kind === 'already_sent') return { status: 'sent' };
      deps.log.warn({ template, businessId, status: err.status, name: err.providerName }, 'email refused by Resend; not retried');
      return { status: 'refused' };
    }
  },
});
