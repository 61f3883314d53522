/**
 * Starting the notification workflows from the API (workflows start them as children: lead-event-follow-ups.ts).
 * Both are idempotent by workflow id: the digest keeps its one running workflow per business, and a lead event is
 * delivered to an endpoint by exactly one workflow even if this is called again for it.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { LeadWebhookSettings } from '../activities/notifications/deps.js';
import type { Config } from '../config/schema.js';
import type { Models } from '../db/models/index.js';
import { subscribedEndpointIds } from '../domain/lead-webhook-events.js';
import { withCallDeadline, type TemporalTarget } from '../temporal/deadline.js';
import { leadWebhookDeliveryStart, leadWebhookDeliveryWorkflow, leadWebhookReplayWorkflowId } from '../workflows/lead-webhook-delivery.js';
import { notificationDigestStart, notificationDigestWorkflow } from '../workflows/notification-digest.js';
import { HOUR_MS } from '../lib/durations.js';

export type { TemporalTarget };

export const leadWebhookSettingsFrom = (
  c: Pick<Config, 'LEAD_WEBHOOK_INITIAL_RETRY_MS' | 'LEAD_WEBHOOK_GIVE_UP_AFTER_MS' | 'LEAD_WEBHOOK_DISABLE_AFTER_FAILURES'>,
): LeadWebhookSettings => ({
  initialRetryMs: c.LEAD_WEBHOOK_INITIAL_RETRY_MS,
  maxRetryMs: Math.max(c.LEAD_WEBHOOK_INITIAL_RETRY_MS, HOUR_MS),
  giveUpAfterMs: c.LEAD_WEBHOOK_GIVE_UP_AFTER_MS,
  disableAfterFailures: c.LEAD_WEBHOOK_DISABLE_AFTER_FAILURES,
});

/**
 * Call when a business switches `emailMode` to 'digest' (the business PATCH route); a conversation also starts it
 * whenever it defers a lead to the digest, so a missed call only delays the start to the next lead.
 */
export const ensureDigestWorkflow = async (t: TemporalTarget, businessId: string) => {
  await withCallDeadline(t, () =>
    t.client.workflow.start(notificationDigestWorkflow, {
      ...notificationDigestStart(businessId),
      taskQueue: t.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
};

/**
 * Starts one delivery workflow per active endpoint subscribed to this lead event's type, for lead events the
 * dashboard records (lead_updated / lead_status_changed); conversations start theirs as children. Safe to call
 * twice: a second start for the same (endpoint, event) is refused.
 */
export const startLeadWebhookDeliveries = async (
  t: TemporalTarget,
  models: Models,
  settings: LeadWebhookSettings,
  event: { _id: string; businessId: string; kind: string },
): Promise<string[]> => {
  const started: string[] = [];
  for (const endpointId of await subscribedEndpointIds(models, event)) {
    const start = leadWebhookDeliveryStart({ businessId: event.businessId, endpointId, eventId: event._id, retry: settings });
    try {
      await withCallDeadline(t, () => t.client.workflow.start(leadWebhookDeliveryWorkflow, { ...start, taskQueue: t.taskQueue }));
      started.push(start.workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return started;
};

/** An owner's "send again" for a logged delivery: a new workflow with its own id and attempts. */
export const startLeadWebhookReplay = async (
  t: TemporalTarget,
  settings: LeadWebhookSettings,
  delivery: { _id: string; businessId: string; endpointId: string; eventId: string },
  nonce: string,
) => {
  const workflowId = leadWebhookReplayWorkflowId(delivery._id, nonce);
  await withCallDeadline(t, () =>
    t.client.workflow.start(leadWebhookDeliveryWorkflow, {
      workflowId,
      taskQueue: t.taskQueue,
      args: [
        {
          businessId: delivery.businessId,
          endpointId: delivery.endpointId,
          eventId: delivery.eventId,
          retry: settings,
          replayOf: delivery._id,
        },
      ],
    }),
  );
  return workflowId;
};
