/**
 * Delivers one lead event to one CRM endpoint: retries with exponential backoff (doubling, at most 1 h apart)
 * until it is accepted or 24 h have passed; every attempt is logged, and giving up counts against the endpoint.
 */
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { workflowNow } from './helpers.js';

export type LeadWebhookRetrySettings = { initialRetryMs: number; maxRetryMs: number; giveUpAfterMs: number };

export type LeadWebhookDeliveryInput = {
  businessId: string;
  endpointId: string;
  eventId: string;
  retry: LeadWebhookRetrySettings;
  /** Set when an owner replays a logged delivery from the dashboard. */
  replayOf?: string;
};

export type LeadWebhookDeliveryOutcome = { status: 'delivered' | 'gave_up' | 'undeliverable'; attempts: number };

export const leadWebhookDeliveryWorkflowId = (endpointId: string, eventId: string) => `lead-webhook:${endpointId}:${eventId}`;
export const leadWebhookReplayWorkflowId = (deliveryId: string, nonce: string) => `lead-webhook-replay:${deliveryId}:${nonce}`;

/** Every start of one event's delivery to one endpoint, from the API or as a child: one workflow per pair, ever. */
export const leadWebhookDeliveryStart = (input: LeadWebhookDeliveryInput) => ({
  workflowId: leadWebhookDeliveryWorkflowId(input.endpointId, input.eventId),
  args: [input] as [LeadWebhookDeliveryInput],
  // Not even a finished delivery may be started again: a replay is an explicit, separate workflow.
  workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
});

const webhooks = proxyActivities<Activities>({
  // The POST itself times out after 10 s; the rest is MongoDB.
  startToCloseTimeout: '30s',
  // Retries here cover only our own infrastructure; the receiver's failures come back as values and are
  // retried by the loop below, so each one is logged as an attempt.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});

export const retryDelayMs = (attempt: number, r: LeadWebhookRetrySettings) => Math.min(r.initialRetryMs * 2 ** (attempt - 1), r.maxRetryMs);

export async function leadWebhookDeliveryWorkflow(input: LeadWebhookDeliveryInput): Promise<LeadWebhookDeliveryOutcome> {
  const startedAt = workflowNow();
  const { workflowId } = workflowInfo();
  for (let attempt = 1; ; attempt++) {
    const result = await webhooks.deliverLeadWebhook({
      businessId: input.businessId,
      endpointId: input.endpointId,
      eventId: input.eventId,
      workflowId,
      attempt,
      replayOf: input.replayOf,
    });
    if (result.status === 'delivered') return { status: 'delivered', attempts: attempt };
    if (result.status === 'undeliverable') return { status: 'undeliverable', attempts: attempt };
    const delay = retryDelayMs(attempt, input.retry);
    if (workflowNow() + delay - startedAt > input.retry.giveUpAfterMs) {
      await webhooks.recordLeadWebhookGaveUp({
        businessId: input.businessId,
        endpointId: input.endpointId,
        eventId: input.eventId,
        workflowId,
        attempts: attempt,
      });
      return { status: 'gave_up', attempts: attempt };
    }
    await sleep(delay);
  }
}
