/**
 * Starting the notification workflows, from the API or from inside an activity. Both are idempotent by
 * workflow id: the digest keeps its one running workflow per business, and a lead event is delivered to an
 * endpoint by exactly one workflow even if this is called again for it.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { LeadWebhookSettings } from '../activities/notifications/deps.js';
import type { Config } from '../config/schema.js';
import type { Models } from '../db/models/index.js';
import type { LeadWebhookEventType } from '../db/models/lead-webhook.js';
import { withCallDeadline, type TemporalTarget } from '../temporal/deadline.js';
import {
  leadWebhookDeliveryWorkflow,
  leadWebhookDeliveryWorkflowId,
  leadWebhookReplayWorkflowId,
} from '../workflows/lead-webhook-delivery.js';
import { notificationDigestWorkflow, notificationDigestWorkflowId } from '../workflows/notification-digest.js';

export type { TemporalTarget };

const HOUR_MS = 60 * 60 * 1000;

export const leadWebhookSettingsFrom = (
  c: Pick<Config, 'LEAD_WEBHOOK_INITIAL_RETRY_MS' | 'LEAD_WEBHOOK_GIVE_UP_AFTER_MS' | 'LEAD_WEBHOOK_DISABLE_AFTER_FAILURES'>,
): LeadWebhookSettings => ({
  initialRetryMs: c.LEAD_WEBHOOK_INITIAL_RETRY_MS,
  maxRetryMs: Math.max(c.LEAD_WEBHOOK_INITIAL_RETRY_MS, HOUR_MS),
  giveUpAfterMs: c.LEAD_WEBHOOK_GIVE_UP_AFTER_MS,
  disableAfterFailures: c.LEAD_WEBHOOK_DISABLE_AFTER_FAILURES,
});

/**
 * Call when a business switches `emailMode` to 'digest' (the business PATCH route); notifyBusiness also calls
 * it whenever it defers a lead to the digest, so a missed call only delays the start to the next lead.
 */
export const ensureDigestWorkflow = async (t: TemporalTarget, businessId: string) => {
  await withCallDeadline(t, () =>
    t.client.workflow.start(notificationDigestWorkflow, {
      workflowId: notificationDigestWorkflowId(businessId),
      taskQueue: t.taskQueue,
      args: [{ businessId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
};

export const WEBHOOK_TYPE_BY_KIND: Record<string, LeadWebhookEventType> = {
  lead_created: 'lead.created',
  lead_updated: 'lead.updated',
  lead_status_changed: 'lead.status_changed',
};

/**
 * Starts one delivery workflow per active endpoint subscribed to this lead event's type. Call it wherever a
 * lead event is recorded (notifyBusiness does for events raised by conversations; the dashboard for
 * lead_updated / lead_status_changed). Safe to call twice: a second start for the same (endpoint, event) is refused.
 */
export const startLeadWebhookDeliveries = async (
  t: TemporalTarget,
  models: Models,
  settings: LeadWebhookSettings,
  event: { _id: string; businessId: string; kind: string },
): Promise<string[]> => {
  const type = WEBHOOK_TYPE_BY_KIND[event.kind];
  if (!type) return [];
  const endpoints = await models.LeadWebhook.find({ businessId: event.businessId, status: 'active', events: type }, { _id: 1 }).lean();
  const started: string[] = [];
  for (const endpoint of endpoints) {
    const workflowId = leadWebhookDeliveryWorkflowId(endpoint._id, event._id);
    try {
      await withCallDeadline(t, () =>
        t.client.workflow.start(leadWebhookDeliveryWorkflow, {
          workflowId,
          taskQueue: t.taskQueue,
          args: [{ businessId: event.businessId, endpointId: endpoint._id, eventId: event._id, retry: settings }],
          // Not even a finished delivery may be started again: a replay is an explicit, separate workflow.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      started.push(workflowId);
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
