/**
 * Lead webhooks to the business's CRM: one signed POST per attempt, each logged in `webhook_deliveries`;
 * an endpoint whose last N deliveries were all given up is disabled and the owner emailed.
 */
import { createHash } from 'node:crypto';
import { decryptString } from '../../lib/crypto.js';
import { WEBHOOK_TYPE_BY_KIND } from '../../domain/lead-webhook-events.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { postLeadWebhook } from './lead-webhook-post.js';
import { webhookDisabledEmail } from '../../domain/emails/index.js';
import { createNotificationSender, throwIfRetryable } from './send.js';
import { leadWebhookSecretContext } from '../../domain/encryption-contexts.js';
import type { LeadRow } from '../../domain/leads.js';

export const deliveryIdFor = (workflowId: string, attempt: number | 'gave_up') =>
  `whd_${createHash('sha256').update(`${workflowId}#${attempt}`).digest('hex').slice(0, 24)}`;

/**
 * The lead as CRMs receive it: the fields a person would copy into a CRM, never the transcript. A specialist flag
 * goes out only as "needs a specialist": which kind (medical, legal, financial) can reveal health or other special
 * category data, and the CRM does not need it to route the lead (privacy policy §3; docs/compliance.md).
 */
export const webhookLeadView = (l: LeadRow) => ({
  id: l._id,
  name: l.name ?? null,
  phone: l.phone ?? null,
  email: l.email ?? null,
  enquiry: l.enquiry ?? null,
  enquiryType: l.enquiryType ?? null,
  urgency: l.urgency ?? 'normal',
  needsSpecialist: (l.specialist ?? 'none') !== 'none',
  needsHuman: l.needsHuman ?? false,
  status: l.status ?? 'new',
  channel: l.channel,
  createdAt: l.createdAt?.toISOString() ?? null,
  updatedAt: l.updatedAt?.toISOString() ?? null,
});

export type DeliverResult = { status: 'delivered' | 'failed' | 'undeliverable'; statusCode?: number; why?: string };

export const createLeadWebhookActivities = (deps: ActivityDeps) => {
  const { models } = deps;

  return {
    async deliverLeadWebhook(input: {
      businessId: string;
      endpointId: string;
      eventId: string;
      workflowId: string;
      attempt: number;
      replayOf?: string;
    }): Promise<DeliverResult> {
      const endpoint = await models.LeadWebhook.findOne({ _id: input.endpointId, businessId: input.businessId }).lean();
      if (!endpoint || endpoint.status !== 'active') return { status: 'undeliverable', why: 'endpoint deleted or disabled' };
      const event = await models.LeadEvent.findById(input.eventId).lean();
      const lead = event ? ((await models.Lead.findById(event.leadId).lean()) as LeadRow | null) : null;
      const type = event ? WEBHOOK_TYPE_BY_KIND[event.kind] : undefined;
      if (!event || !lead || !type) return { status: 'undeliverable', why: 'lead or event no longer exists' };

      const body = JSON.stringify({ id: event._id, type, createdAt: event.createdAt.toISOString(), data: { lead: webhookLeadView(lead) } });
      const secret = decryptString(deps.keyRing, endpoint.secretSealed, leadWebhookSecretContext(endpoint._id));
      const result = await postLeadWebhook(deps, endpoint, { body, secret, eventId: event._id });
      const isDelivered = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
      // Keyed by workflow and attempt: an activity retry rewrites its own row instead of adding one.
      await models.WebhookDelivery.updateOne(
        { _id: deliveryIdFor(input.workflowId, input.attempt) },
        {
          $set: {
            businessId: input.businessId,
            endpointId: endpoint._id,
            eventId: event._id,
            type,
            workflowId: input.workflowId,
            attempt: input.attempt,
            kind: 'attempt',
            isDelivered,
            statusCode: result.statusCode,
            durationMs: result.durationMs,
            error: isDelivered ? undefined : result.error,
            ...(input.replayOf ? { replayOf: input.replayOf } : {}),
            at: nowOf(deps),
          },
        },
        { upsert: true },
      );
      return isDelivered
        ? { status: 'delivered', statusCode: result.statusCode }
        : { status: 'failed', statusCode: result.statusCode, why: result.error };
    },

    async recordLeadWebhookGaveUp(input: {
      businessId: string;
      endpointId: string;
      eventId: string;
      workflowId: string;
      attempts: number;
    }) {
      const limit = deps.notify.leadWebhooks.disableAfterFailures;
      await models.WebhookDelivery.updateOne(
        { _id: deliveryIdFor(input.workflowId, 'gave_up') },
        {
          $setOnInsert: {
            businessId: input.businessId,
            endpointId: input.endpointId,
            eventId: input.eventId,
            type: 'gave_up',
            workflowId: input.workflowId,
            attempt: input.attempts,
            kind: 'gave_up',
            isDelivered: false,
            error: `gave up after ${input.attempts} attempts`,
            at: nowOf(deps),
          },
        },
        { upsert: true },
      );
      const recent = await models.WebhookDelivery.find(
        { endpointId: input.endpointId, $or: [{ kind: 'gave_up' }, { isDelivered: true }] },
        { kind: 1 },
      )
        .sort({ at: -1 })
        .limit(limit)
        .lean();
      if (recent.length >= limit && recent.every((r) => r.kind === 'gave_up')) {
        await models.LeadWebhook.updateOne(
          { _id: input.endpointId, status: 'active' },
          {
            $set: {
              status: 'disabled',
              disabledAt: nowOf(deps),
              disabledReason: `${limit} deliveries in a row failed for ${Math.round(deps.notify.leadWebhooks.giveUpAfterMs / 3_600_000)} h`,
            },
          },
        );
      }
      const endpoint = await models.LeadWebhook.findById(input.endpointId).lean();
      if (endpoint?.status !== 'disabled' || !endpoint.disabledReason) return { isDisabled: false };
      // Whichever attempt saw it disabled (this one, or a retry of it) makes sure the owner was told, once.
      const business = await models.Business.findById(input.businessId, { name: 1, notifyEmails: 1 }).lean();
      if (!business) return { isDisabled: true };
      const email = webhookDisabledEmail(business.name, endpoint.url, endpoint.disabledReason);
      const sender = createNotificationSender(deps);
      throwIfRetryable(
        await sender.emailEach(
          `webhook_disabled:${endpoint._id}`,
          { businessId: business._id, kind: 'webhook_disabled' },
          business.notifyEmails,
          email,
        ),
      );
      return { isDisabled: true };
    },
  };
};
