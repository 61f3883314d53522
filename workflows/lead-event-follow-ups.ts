/**
 * Starts what a lead event needs besides the owner's alerts, as children of the workflow that saw the event (its
 * conversation, or the notification retry sweep): one CRM delivery per subscribed endpoint and the business's daily
 * digest. They are abandoned, not ended, when the parent closes or continues as new: a delivery retries for a day and
 * the digest runs as long as the business is in digest mode. Their ids are deterministic, so an event seen twice (a
 * retried step, the sweep after the conversation) still gets one delivery per endpoint and the business one digest.
 */
import type { LeadEventFollowUps } from '../activities/notifications/follow-ups.js';
import { startAbandonedChild } from './helpers.js';
import { leadWebhookDeliveryStart, leadWebhookDeliveryWorkflow } from './lead-webhook-delivery.js';
import { notificationDigestStart, notificationDigestWorkflow } from './notification-digest.js';

/** Started together, in one workflow task; returns how many this call started (the rest were already running or done). */
export const startLeadEventFollowUps = async (followUps: LeadEventFollowUps): Promise<number> => {
  const started = await Promise.all([
    ...followUps.leadWebhooks.map((d) => startAbandonedChild(leadWebhookDeliveryWorkflow, leadWebhookDeliveryStart(d))),
    ...followUps.digestBusinessIds.map((id) => startAbandonedChild(notificationDigestWorkflow, notificationDigestStart(id))),
  ]);
  return started.filter(Boolean).length;
};
