/**
 * Emails the owner the BusinessAlerts other parts of LuxLeads leave (a channel needing reconnection…), each
 * once: the alert id is the idempotency key, `notifiedAt` marks it done.
 */
import { nowOf, type ActivityDeps } from '../deps.js';
import { businessAlertEmail } from '../../domain/emails/index.js';
import { createNotificationSender, throwIfRetryable, type SendOutcome } from './send.js';

export const createBusinessAlertActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const sender = createNotificationSender(deps);

  return {
    async sendBusinessAlerts(input: { businessId: string }) {
      const business = await models.Business.findById(input.businessId, { name: 1, notifyEmails: 1 }).lean();
      if (!business) return { sent: 0 };
      const alerts = await models.BusinessAlert.find({ businessId: business._id, notifiedAt: { $exists: false } })
        .sort({ createdAt: 1 })
        .limit(20)
        .lean();
      const outcomes: SendOutcome[] = [];
      for (const alert of alerts) {
        const email = businessAlertEmail(business.name, alert);
        const sent = await sender.emailEach(
          `business_alert:${alert._id}`,
          { businessId: business._id, kind: 'business_alert' },
          business.notifyEmails,
          email,
        );
        outcomes.push(...sent);
        if (!sent.some((o) => o.status === 'retry'))
          await models.BusinessAlert.updateOne({ _id: alert._id }, { $set: { notifiedAt: nowOf(deps) } });
      }
      throwIfRetryable(outcomes);
      return { sent: outcomes.filter((o) => o.status === 'sent').length };
    },
  };
};
