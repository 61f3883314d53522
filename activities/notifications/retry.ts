/**
 * The safety net behind each conversation's notification retries (about 8 minutes of backoff): lead events still
 * unnotified after that, because WhatsApp and Resend were both down for longer, are notified again here instead of
 * waiting for the customer's next message. notifyBusiness sends each (event, target) once, so a repeat is harmless;
 * the events' follow-ups (CRM deliveries, digest) go back to the sweep workflow, which starts them as its children.
 */
import type { ActivityDeps } from '../deps.js';
import { nowOf } from '../deps.js';
import { leadEventFollowUpsOf, mergeFollowUps, NO_FOLLOW_UPS, type LeadEventFollowUps } from './follow-ups.js';

export type NotificationRetryCounts = { found: number; notified: number; stillFailing: number };

type NotifyBusiness = (input: {
  conversationId: string;
  businessId: string;
  leadId: string;
  eventId: string;
}) => Promise<{ notified: boolean }>;

export const createNotificationRetryActivities = (deps: ActivityDeps, notifyBusiness: NotifyBusiness) => ({
  async retryUnnotifiedLeadEvents(input: {
    olderThanMs: number;
    maxAgeMs: number;
    limit: number;
  }): Promise<NotificationRetryCounts & { followUps: LeadEventFollowUps }> {
    const now = nowOf(deps).getTime();
    const events = await deps.models.LeadEvent.find(
      // Alerts waiting for the lead's contact detail are not failures: the conversation's next message retries those.
      {
        notifiedAt: { $exists: false },
        awaitingContactAt: { $exists: false },
        createdAt: { $lt: new Date(now - input.olderThanMs), $gt: new Date(now - input.maxAgeMs) },
      },
      { _id: 1, businessId: 1, leadId: 1, conversationId: 1 },
    )
      .sort({ createdAt: 1 })
      .limit(input.limit)
      .lean();
    const counts: NotificationRetryCounts = { found: events.length, notified: 0, stillFailing: 0 };
    let followUps = NO_FOLLOW_UPS;
    for (const e of events) {
      try {
        // Read before notifying: a notified event has none left.
        followUps = mergeFollowUps(followUps, await leadEventFollowUpsOf(deps, e._id));
        const result = await notifyBusiness({
          conversationId: e.conversationId ?? '',
          businessId: e.businessId,
          leadId: e.leadId,
          eventId: e._id,
        });
        if (result.notified) counts.notified++;
      } catch (err) {
        // Still failing (or a template mismatch): the next sweep tries again; one event never blocks the others.
        counts.stillFailing++;
        deps.log.warn({ eventId: e._id, err: (err as Error).message }, 'lead event still not notified; next sweep retries');
      }
    }
    if (counts.found > 0) deps.log.warn(counts, 'notification sweep retried lead events the conversations had given up on');
    return { ...counts, followUps };
  },
});
