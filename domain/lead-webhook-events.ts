/** Which lead events CRM webhooks carry, and which endpoints asked for each; the API and the notification activities share it. */
import type { Models } from '../db/models/index.js';
import type { LeadWebhookEventType } from '../db/models/lead-webhook.js';

export const WEBHOOK_TYPE_BY_KIND: Record<string, LeadWebhookEventType> = {
  lead_created: 'lead.created',
  lead_updated: 'lead.updated',
  lead_status_changed: 'lead.status_changed',
};

/** The business's active endpoints subscribed to this event's type; none for kinds CRMs do not receive. */
export const subscribedEndpointIds = async (models: Models, event: { businessId: string; kind: string }): Promise<string[]> => {
  const type = WEBHOOK_TYPE_BY_KIND[event.kind];
  if (!type) return [];
  const endpoints = await models.LeadWebhook.find({ businessId: event.businessId, status: 'active', events: type }, { _id: 1 }).lean();
  return endpoints.map((e) => e._id);
};
