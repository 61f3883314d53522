/**
 * Every hour, purges conversations past their purge time that their own workflows missed, and applies the
 * retention of sessions, notification and delivery logs and audit entries; runs for ever (one per namespace,
 * started idempotently by every worker) and rolls over with continue-as-new. Hourly, not daily: a straggler is
 * purged within the hour after its own purge was due, inside the day that the purge runs ahead of the policy's
 * limit (domain/conversation.ts, conversationPurgeAfterMs), so even a lost workflow's thread goes in time.
 */
import { ActivityFailure, continueAsNew, defineQuery, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RecordSweepCounts } from '../activities/privacy/record-retention.js';
import { conversationPurgeAfterMs, STRAGGLER_MARGIN_MS } from '../domain/conversation.js';
import { HOUR_MS } from '../lib/durations.js';

export const RETENTION_SWEEP_WORKFLOW_ID = 'retention-sweep';

export type RetentionTotals = {
  sweeps: number;
  conversations: number;
  messages: number;
  workflowRunsDeleted: number;
  records?: RecordSweepCounts;
};

export type RetentionSweepInput = {
  retentionDays: number;
  /** The namespace's retention of closed histories: threads are due for purge this much before retentionDays. */
  historyRetentionHours?: number;
  /** Between sweeps (default one hour). */
  intervalMs?: number;
  sweepsPerRun?: number;
  /** Tests: return after this many sweeps instead of running for ever. */
  stopAfterSweeps?: number;
  totals?: RetentionTotals;
};

export type RetentionSweepResult = { reason: 'stopped_after_sweeps'; totals: RetentionTotals };

export const retentionSweepStatusQuery = defineQuery<RetentionTotals>('retentionSweepStatus');

/** Every hour: see the file comment. */
export const RETENTION_SWEEP_INTERVAL_MS = HOUR_MS;

const sweeper = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  // A failed sweep is retried for a few hours; tomorrow's sweep covers anything left after that.
  retry: { initialInterval: '1m', backoffCoefficient: 2, maximumInterval: '1h', maximumAttempts: 8 },
});

const sweepRecords = async (totals: RetentionTotals, sweepKey: string) => {
  try {
    const counts = await sweeper.sweepExpiredRecords({ sweepKey });
    const sum = totals.records ?? { sessions: 0, notifications: 0, webhookDeliveries: 0, auditEntries: 0 };
    totals.records = {
      sessions: sum.sessions + counts.sessions,
      notifications: sum.notifications + counts.notifications,
      webhookDeliveries: sum.webhookDeliveries + counts.webhookDeliveries,
      auditEntries: sum.auditEntries + counts.auditEntries,
    };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn('record retention sweep failed after retries; the next sweep tries again', { cause: err.cause?.message });
  }
};

export async function retentionSweepWorkflow(input: RetentionSweepInput): Promise<RetentionSweepResult> {
  const totals: RetentionTotals = input.totals ? { ...input.totals } : { sweeps: 0, conversations: 0, messages: 0, workflowRunsDeleted: 0 };
  setHandler(retentionSweepStatusQuery, () => totals);
  const sweepsPerRun = input.sweepsPerRun ?? 30;

  for (let i = 0; i < sweepsPerRun; i++) {
    try {
      const counts = await sweeper.sweepExpiredConversations({
        retentionDays: input.retentionDays,
        inactiveForMs: conversationPurgeAfterMs(input.retentionDays, input.historyRetentionHours) + STRAGGLER_MARGIN_MS,
        sweepKey: `${workflowInfo().runId}:${i}`,
      });
      totals.conversations += counts.conversations;
      totals.messages += counts.messages;
      totals.workflowRunsDeleted += counts.workflowRunsDeleted;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('retention sweep failed after retries; the next sweep tries again', { cause: err.cause?.message });
    }
    await sweepRecords(totals, `${workflowInfo().runId}:${i}`);
    totals.sweeps++;
    if (input.stopAfterSweeps !== undefined && totals.sweeps >= input.stopAfterSweeps) return { reason: 'stopped_after_sweeps', totals };
    await sleep(input.intervalMs ?? RETENTION_SWEEP_INTERVAL_MS);
  }
  return continueAsNew<typeof retentionSweepWorkflow>({ ...input, totals });
}
