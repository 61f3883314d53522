/**
 * Once a day, purges conversations past the retention period that their own workflows missed, and applies the
 * retention of sessions, notification and delivery logs and audit entries; runs for ever (one per namespace,
 * started idempotently by every worker) and rolls over with continue-as-new.
 */
import { ActivityFailure, continueAsNew, defineQuery, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RecordSweepCounts } from '../activities/privacy/record-retention.js';

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
  /** Extra days past retention before a conversation counts as a straggler (default 1). */
  graceDays?: number;
  intervalMs?: number;
  sweepsPerRun?: number;
  /** Tests: return after this many sweeps instead of running for ever. */
  stopAfterSweeps?: number;
  totals?: RetentionTotals;
};

export type RetentionSweepResult = { reason: 'stopped_after_sweeps'; totals: RetentionTotals };

export const retentionSweepStatusQuery = defineQuery<RetentionTotals>('retentionSweepStatus');

const DAY_MS = 24 * 60 * 60 * 1000;

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
        graceDays: input.graceDays ?? 1,
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
    await sleep(input.intervalMs ?? DAY_MS);
  }
  return continueAsNew<typeof retentionSweepWorkflow>({ ...input, totals });
}
