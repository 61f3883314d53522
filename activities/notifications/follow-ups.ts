/**
 * What a lead event needs started besides the owner's alerts: one CRM delivery per subscribed endpoint, and the
 * business's daily digest when the event's email waits for it. Activities only read what is due; the workflow that
 * saw the event starts them as its children. Read before notifyBusiness and apart from it, so CRM webhooks never
 * wait on WhatsApp or Resend.
 */
import { subscribedEndpointIds } from '../../domain/lead-webhook-events.js';
import type { ActivityDeps } from '../deps.js';
import { NOTIFIED_KINDS } from '../../domain/emails/index.js';
import type { LeadWebhookSettings } from './deps.js';

/** The input of one lead-webhook delivery workflow. */
export type LeadWebhookDeliveryRequest = { businessId: string; endpointId: string; eventId: string; retry: LeadWebhookSettings };

export type LeadEventFollowUps = { leadWebhooks: LeadWebhookDeliveryRequest[]; digestBusinessIds: string[] };

export const NO_FOLLOW_UPS: LeadEventFollowUps = { leadWebhooks: [], digestBusinessIds: [] };

export const mergeFollowUps = (a: LeadEventFollowUps, b: LeadEventFollowUps): LeadEventFollowUps => ({
  leadWebhooks: [...a.leadWebhooks, ...b.leadWebhooks],
  digestBusinessIds: [...new Set([...a.digestBusinessIds, ...b.digestBusinessIds])],
});

type Reachable = { phone?: string | null; email?: string | null; contactKeys?: string[] | null };
/**
 * Whether the owner can reach this person: a phone number or an email, or a Messenger/Instagram thread (replies go
 * there). Anyone can open website chat sessions by the thousand, so a visitor who left neither is not worth a paid alert.
 */
export const hasContactDetail = (lead: Reachable) =>
  Boolean(lead.phone || lead.email) || (lead.contactKeys ?? []).some((k) => k.startsWith('messenger:') || k.startsWith('instagram:'));

/** Lead-created alerts wait for the digest in digest mode; urgent, specialist and human requests never wait. */
export const isDeferredToDigest = (emailMode: string, kind: string) => emailMode === 'digest' && kind === 'lead_created';

/** Mirrors notifyBusiness's first steps: nothing for an event it would skip, CRM only while the alert waits for a contact. */
export const leadEventFollowUpsOf = async (deps: ActivityDeps, eventId: string): Promise<LeadEventFollowUps> => {
  const { models } = deps;
  const event = await models.LeadEvent.findById(eventId).lean();
  if (!event || event.notifiedAt) return NO_FOLLOW_UPS;
  const [business, lead] = await Promise.all([
    models.Business.findById(event.businessId, { emailMode: 1 }).lean(),
    models.Lead.findById(event.leadId, { phone: 1, email: 1, contactKeys: 1 }).lean(),
  ]);
  if (!business || !lead) return NO_FOLLOW_UPS;
  const isReachable = hasContactDetail(lead);
  // Held back for a contact detail: the deliveries were started when the alert was first held back.
  if (event.awaitingContactAt && !isReachable) return NO_FOLLOW_UPS;
  const retry = deps.notify.leadWebhooks;
  const endpointIds = await subscribedEndpointIds(models, event);
  // An alert held back for a contact detail goes to CRMs only; its email joins the digest once it can be sent.
  const isDeferred = isDeferredToDigest(business.emailMode, event.kind) && (isReachable || !NOTIFIED_KINDS.includes(event.kind));
  return {
    leadWebhooks: endpointIds.map((endpointId) => ({ businessId: event.businessId, endpointId, eventId: event._id, retry })),
    digestBusinessIds: isDeferred ? [event.businessId] : [],
  };
};

export const createLeadEventFollowUpActivities = (deps: ActivityDeps) => ({
  /** For a conversation's new lead events: what it starts as children before the owner is notified. */
  async findLeadEventFollowUps(input: { eventIds: string[] }): Promise<LeadEventFollowUps> {
    let found = NO_FOLLOW_UPS;
    for (const eventId of input.eventIds) found = mergeFollowUps(found, await leadEventFollowUpsOf(deps, eventId));
    return found;
  },
});
