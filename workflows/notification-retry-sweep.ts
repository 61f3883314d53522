/**
 * Every 15 minutes, notifies lead events whose conversation gave up on them (both providers down for longer than
 * its retries), and starts their CRM deliveries and digest as its children where nobody had yet. Runs for ever, one
 * per namespace, started idempotently by every worker; continue-as-new rolls it over.
 */
import { ActivityFailure, continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { startLeadEventFollowUps } from './lead-event-follow-ups.js';
import { MINUTE_MS } from '../lib/durations.js';

export const NOTIFICATION_RETRY_SWEEP_WORKFLOW_ID = 'notification-retry-sweep';

export type NotificationRetrySweepInput = {
  intervalMs?: number;
  /** Only events at least this old: younger ones may still be in their conversation's own retries. */
  olderThanMs?: number;
  /** Events older than this are left alone: an alert a week late helps nobody. */
  maxAgeMs?: number;
  sweepsPerRun?: number;
  /** Tests: return after this many sweeps instead of running for ever. */
  stopAfterSweeps?: number;
};

const sweeper = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '30s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 3 },
});

export async function notificationRetrySweepWorkflow(input: NotificationRetrySweepInput): Promise<{ sweeps: number; notified: number }> {
  let notified = 0;
  const sweepsPerRun = input.sweepsPerRun ?? 96;
  for (let sweep = 1; sweep <= sweepsPerRun; sweep++) {
    try {
      const swept = await sweeper.retryUnnotifiedLeadEvents({
        olderThanMs: input.olderThanMs ?? 15 * MINUTE_MS,
        maxAgeMs: input.maxAgeMs ?? 7 * 24 * 60 * MINUTE_MS,
        limit: 200,
      });
      notified += swept.notified;
      await startLeadEventFollowUps(swept.followUps);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('notification sweep failed after retries; the next one tries again', { cause: err.cause?.message });
    }
    if (input.stopAfterSweeps !== undefined && sweep >= input.stopAfterSweeps) return { sweeps: sweep, notified };
    await sleep(input.intervalMs ?? 15 * MINUTE_MS);
  }
  return continueAsNew<typeof notificationRetrySweepWorkflow>(input);
}
