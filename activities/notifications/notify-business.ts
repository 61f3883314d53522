/**
 * Tells the business about lead events: one WhatsApp template per working number and one email per address
 * (or a place in the daily digest), exactly once per event. CRM webhooks and the digest are workflows the caller
 * starts (findLeadEventFollowUps says which).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { updateByIdIf } from '../../db/id-conditional-update.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { Failure } from '../../domain/failures.js';
import { notificationId, recordUnsent } from '../../domain/notification-records.js';
import { createBusinessAlertActivities } from './business-alerts.js';
import { NOTIFIED_KINDS, leadEventEmail } from '../../domain/emails/index.js';
import { leadEventTemplateParams, leadFactsOf, type LeadLike } from './content.js';
import { dashboardLeadUrl } from './deps.js';
import { createDigestActivities } from './digest.js';
import { createLeadEventFollowUpActivities, hasContactDetail, isDeferredToDigest } from './follow-ups.js';
import { alertNumberFailing, markNumberFailing } from './failing-numbers.js';
import { createWindowReminderActivities } from './window-reminder.js';
import { createNotificationRetryActivities } from './retry.js';
import { createNotificationSender, throwIfRetryable, type SendOutcome } from './send.js';
import { createLeadWebhookActivities } from './lead-webhooks.js';

export type NotifyBusinessResult = {
  notified: boolean;
  why?: 'unknown-event' | 'already-notified' | 'lead-or-business-gone' | 'awaiting-contact';
  sent?: number;
};

export const createNotificationActivities = (deps: ActivityDeps) => {
  const { models, log } = deps;
  const sender = createNotificationSender(deps);

  const notifyBusiness = async (input: {
    conversationId: string;
    businessId: string;
    leadId: string;
    eventId: string;
  }): Promise<NotifyBusinessResult> => {
    const event = await models.LeadEvent.findById(input.eventId).lean();
    if (!event) return { notified: false, why: 'unknown-event' };
    if (event.notifiedAt) return { notified: false, why: 'already-notified' };
    // Held back for a contact detail: every later message of the conversation asks again, at the cost of one read.
    if (event.awaitingContactAt) {
      const reachable = await models.Lead.findById(event.leadId, { phone: 1, email: 1, contactKeys: 1 }).lean();
      if (reachable && !hasContactDetail(reachable)) return { notified: false, why: 'awaiting-contact' };
    }
    const markNotified = () =>
      updateByIdIf(models.LeadEvent, event._id, { notifiedAt: { $exists: false } }, { $set: { notifiedAt: nowOf(deps) } });
    const [business, lead] = await Promise.all([
      models.Business.findById(event.businessId).lean(),
      models.Lead.findById(event.leadId).lean(),
    ]);
    if (!business || !lead) {
      await markNotified();
      return { notified: false, why: 'lead-or-business-gone' };
    }
    if (NOTIFIED_KINDS.includes(event.kind) && !hasContactDetail(lead)) {
      // CRM webhooks hear about the lead now (its follow-ups); the owner once the person leaves a way to reach them (then exactly once).
      if (!event.awaitingContactAt) await models.LeadEvent.updateOne({ _id: event._id }, { $set: { awaitingContactAt: nowOf(deps) } });
      return { notified: false, why: 'awaiting-contact' };
    }
    // From here the retry sweep covers this event again, should the providers fail it.
    if (event.awaitingContactAt) await models.LeadEvent.updateOne({ _id: event._id }, { $unset: { awaitingContactAt: 1 } });
    const isDeferred = isDeferredToDigest(business.emailMode, event.kind);

    const outcomes: SendOutcome[] = [];
    if (NOTIFIED_KINDS.includes(event.kind)) {
      const facts = leadFactsOf(lead as unknown as LeadLike, dashboardLeadUrl(sender.notify, lead._id), event.urgency);
      const base = {
        businessId: business._id,
        kind: event.kind,
        leadId: lead._id,
        eventId: event._id,
        conversationId: event.conversationId ?? undefined,
      };
      for (const target of business.notifyWhatsapp.filter((t) => t.status === 'ok')) {
        const outcome = await sender.whatsappOnce(event._id, base, target.number, (wa) =>
          wa.client.sendTemplate(target.number, {
            name: wa.templateName,
            language: wa.templateLanguage,
            bodyParams: leadEventTemplateParams(event.kind, business.name, facts),
          }),
        );
        outcomes.push(outcome);
        if (outcome.status === 'failed' && outcome.reason === 'invalid_number') {
          await markNumberFailing(deps, business._id, target.number, outcome.errorCode);
          outcomes.push(...(await alertNumberFailing(sender, business, event._id, target.number, outcome.errorCode)));
        }
      }
      if (isDeferred) {
        const digestRow = { ...base, channel: 'email', target: 'digest' } as const;
        await recordUnsent(models, notificationId(event._id, 'email', 'digest'), digestRow, 'deferred', 'daily digest');
      } else {
        outcomes.push(
          ...(await sender.emailEach(event._id, base, business.notifyEmails, leadEventEmail(event.kind, business.name, facts))),
        );
      }
    }
    throwIfRetryable(outcomes);
    await markNotified();

    if (outcomes.some((o) => o.reason === 'template_mismatch')) {
      const wa = sender.notify.whatsapp;
      log.error(
        {
          businessId: business._id,
          eventId: event._id,
          template: wa?.templateName,
          language: wa?.templateLanguage,
          codes: outcomes.map((o) => o.errorCode).filter(Boolean),
        },
        'WhatsApp template does not match the approved one: check WHATSAPP_TEMPLATE_NAME/LANGUAGE and its six body variables (docs/whatsapp-template.md)',
      );
      // Non-retryable on purpose: resending the same parameters fails the same way. Email went out regardless.
      throw ApplicationFailure.nonRetryable(
        `WhatsApp template ${wa?.templateName ?? '?'} (${wa?.templateLanguage ?? '?'}) does not match the approved template`,
        Failure.TemplateMismatch,
      );
    }
    return { notified: true, sent: outcomes.filter((o) => o.status === 'sent').length };
  };

  return {
    notifyBusiness,
    ...createLeadEventFollowUpActivities(deps),
    ...createNotificationRetryActivities(deps, notifyBusiness),
    ...createWindowReminderActivities(deps),
    ...createDigestActivities(deps),
    ...createLeadWebhookActivities(deps),
    ...createBusinessAlertActivities(deps),
  };
};
