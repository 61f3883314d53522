/**
 * What a privacy request tells people: the person who asked (their verified address) at receipt and at completion,
 * an access request's export as a one-time link that expires; and the compliance inbox when the deadline has passed.
 * The link's token is derived from the request (so a retried send mails the same link) and only its hash is stored.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { PrivacyRequestKind } from '../../domain/privacy-requests.js';
import { privacyRequestCompletedEmail, privacyRequestOverdueEmail, privacyRequestReceivedEmail } from '../../domain/emails/index.js';
import { Failure } from '../../domain/failures.js';
import { EXPORT_LINK_TTL_MS, exportLinkHashOf } from '../../domain/privacy-request-ids.js';
import { EmailError, type EmailMessage } from '../../integrations/email.js';
import { hashFor } from '../../lib/keyed-hash.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { requestStatusUrl } from './chat-confirmation.js';

type RequestIds = { requestId: string; businessId?: string; subjectHash: string; kind: PrivacyRequestKind };

export const createPrivacyNoticeActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const base = () => deps.privacy.publicUrl.replace(/\/+$/, '');

  /** Sends, or says why not; a refused address is an answer (the request goes on), an outage is retried. */
  const mail = async (message: EmailMessage): Promise<{ delivered: boolean; why?: string }> => {
    if (!deps.privacy.email) return { delivered: false, why: 'email_not_configured' };
    try {
      await deps.privacy.email.send(message);
      return { delivered: true };
    } catch (err) {
      if (!(err instanceof EmailError) || err.isRetryable) throw err;
      if (err.kind === 'already_sent') return { delivered: true };
      deps.log.warn({ name: err.providerName, template: message.template }, 'privacy notice refused by Resend');
      return { delivered: false, why: err.providerName };
    }
  };

  /** An access export's one-time link: the same token on every retry (keyed by the request), stored as a hash. */
  const exportLink = async (requestId: string) => {
    const row = await models.PrivacyRequest.findById(requestId, { exportLinkExpiresAt: 1 }).select('+exportSealed').lean();
    if (!row?.exportSealed) throw ApplicationFailure.nonRetryable('the access export is missing', Failure.NotFound);
    // A keyed hash of the request id, not a random value: a retried send must mail the link it stored.
    const token = hashFor(deps.keyRing, 'request-id', `export-link:${requestId}`, 48).hex;
    const expiresAt = row.exportLinkExpiresAt?.getTime() ?? nowOf(deps).getTime() + EXPORT_LINK_TTL_MS;
    await models.PrivacyRequest.updateOne(
      { _id: requestId },
      { $set: { exportLinkHash: exportLinkHashOf(token), exportLinkExpiresAt: new Date(expiresAt) } },
    );
    return { url: `${base()}/data-requests/export?token=${token}`, expiresAt };
  };

  return {
    async sendPrivacyRequestNotice(
      input: RequestIds & { stage: 'received' | 'completed'; to: string; receivedAt: number; dueAt: number },
    ): Promise<{ delivered: boolean; why?: string }> {
      const statusUrl = requestStatusUrl(base(), input.requestId);
      const email =
        input.stage === 'received'
          ? privacyRequestReceivedEmail({ ...input, statusUrl })
          : privacyRequestCompletedEmail({
              kind: input.kind,
              requestId: input.requestId,
              statusUrl,
              ...(input.kind === 'access' ? { download: await exportLink(input.requestId) } : {}),
            });
      return mail({
        ...email,
        to: [input.to],
        businessId: input.businessId,
        idempotencyKey: `${input.requestId}:notice:${input.stage}`,
      });
    },

    /** Day 30: the compliance inbox hears that the deadline has passed (the day-21 reminder went there before). */
    async sendPrivacyRequestEscalation(
      input: RequestIds & { receivedAt: number; dueAt: number; currentStep?: string },
    ): Promise<{ delivered: boolean; why?: string }> {
      const sent = await mail({
        ...privacyRequestOverdueEmail({ ...input, statusUrl: requestStatusUrl(base(), input.requestId) }),
        to: [deps.privacy.complianceEmail],
        idempotencyKey: `${input.requestId}:overdue`,
      });
      if (!sent.delivered) deps.log.error({ requestId: input.requestId, why: sent.why }, 'overdue privacy request not escalated by email');
      return sent;
    },
  };
};
