/**
 * Bookkeeping of privacy requests: the privacy_requests read model behind the public status page, one
 * audit entry per step (counts only, subject as a hash) and the deadline reminder to the compliance inbox.
 * Every write is keyed by request and step, so activity retries never add a second entry.
 */
import type {
  PrivacyRequester,
  PrivacyRequestKind,
  PrivacyRequestSource,
  PrivacyRequestStatus,
  StepCounts,
} from '../../domain/privacy-requests.js';
import { writeAudit } from '../../domain/audit.js';
import { privacyReminderEmail } from '../../domain/emails/index.js';
import { EmailError } from '../../integrations/email.js';
import type { ActivityDeps } from '../deps.js';

type RequestIds = { requestId: string; businessId?: string; subjectHash: string; kind: PrivacyRequestKind };

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const createPrivacyRequestActivities = (deps: ActivityDeps) => {
  const { models } = deps;

  const audit = (r: RequestIds, step: string, at: number, details: Record<string, string | number | boolean | null>) =>
    writeAudit(
      models,
      {
        key: `${r.requestId}:${step}`,
        actorType: 'system',
        businessId: r.businessId,
        action: `privacy.${r.kind}.${step}`,
        target: r.subjectHash,
        details: { requestId: r.requestId, ...details },
      },
      new Date(at),
    );

  return {
    async openPrivacyRequest(
      input: RequestIds & {
        source: PrivacyRequestSource;
        workflowId: string;
        receivedAt: number;
        dueAt: number;
        requestedBy?: PrivacyRequester;
      },
    ) {
      // The starter writes the row right after starting this workflow; if that write failed (or has not happened
      // yet) the row is created here, so a request never goes without one. The workflow's clock owns the dates.
      await models.PrivacyRequest.updateOne(
        { _id: input.requestId },
        {
          $set: { receivedAt: new Date(input.receivedAt), dueAt: new Date(input.dueAt) },
          $setOnInsert: {
            kind: input.kind,
            source: input.source,
            subjectHash: input.subjectHash,
            businessId: input.businessId,
            workflowId: input.workflowId,
            requestedByType: input.requestedBy?.type ?? 'subject',
            requestedById: input.requestedBy?.id,
          },
        },
        { upsert: true },
      );
      await models.PrivacyRequest.updateOne({ _id: input.requestId, status: 'received' }, { $set: { status: 'in_progress' } });
      await audit(input, 'received', input.receivedAt, { source: input.source, dueOn: isoDay(input.dueAt) });
    },

    async recordPrivacyRequestStep(input: RequestIds & { step: string; counts: StepCounts; at: number }) {
      await models.PrivacyRequest.updateOne(
        { _id: input.requestId, 'steps.name': { $ne: input.step } },
        { $push: { steps: { name: input.step, at: new Date(input.at), counts: input.counts } } },
      );
      await audit(input, input.step, input.at, input.counts);
    },

    async recordPrivacyRequestStatus(input: RequestIds & { status: PrivacyRequestStatus; at: number }) {
      const at = new Date(input.at);
      const dates = input.status === 'completed' ? { completedAt: at } : input.status === 'overdue' ? { overdueAt: at } : {};
      await models.PrivacyRequest.updateOne({ _id: input.requestId }, { $set: { status: input.status, ...dates } });
      await audit(input, `status_${input.status}`, input.at, { status: input.status });
      deps.log.info({ requestId: input.requestId, kind: input.kind, status: input.status }, 'privacy request status changed');
    },

    /** Mails the compliance inbox; needs no MongoDB, so it still goes out while the database is down. */
    async sendPrivacyRequestReminder(
      input: RequestIds & { receivedAt: number; dueAt: number; currentStep?: string },
    ): Promise<{ delivered: boolean; why?: string }> {
      const privacy = deps.privacy;
      if (!privacy.email) {
        deps.log.warn(
          { requestId: input.requestId, dueAt: new Date(input.dueAt).toISOString() },
          'privacy request reminder not mailed: email is not configured',
        );
        return { delivered: false, why: 'email_not_configured' };
      }
      try {
        await privacy.email.send({
          ...privacyReminderEmail({ ...input, statusUrl: `${privacy.publicUrl}/data-deletion/${input.requestId}` }),
          to: [privacy.complianceEmail],
          ...(input.businessId ? { businessId: input.businessId } : {}),
          idempotencyKey: `${input.requestId}:reminder`,
        });
      } catch (err) {
        if (!(err instanceof EmailError) || err.isRetryable) throw err;
        deps.log.error(
          { requestId: input.requestId, status: err.status, name: err.providerName },
          'privacy request reminder refused by Resend',
        );
        return { delivered: false, why: err.providerName };
      }
      return { delivered: true };
    },

    async recordPrivacyRequestReminder(input: RequestIds & { delivered: boolean; at: number }) {
      await models.PrivacyRequest.updateOne({ _id: input.requestId }, { $set: { reminderSentAt: new Date(input.at) } });
      await audit(input, 'reminder', input.at, { delivered: input.delivered });
    },
  };
};
