/**
 * The hourly safety net behind the per-conversation purge: conversations inactive for longer than their purge time
 * plus a small margin (`inactiveForMs`, from workflows/retention-sweep.ts) are stragglers (a workflow that failed or
 * was lost), so their workflows are deleted outright (no closed history left behind) and their records removed.
 * Counted in the log and the audit trail.
 * The same sweep applies the retention of sessions, notification and delivery logs and audit entries.
 */
import { writeAudit } from '../../domain/audit.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { deleteWorkflowRuns, temporalClientOf } from './workflow-erasure.js';
import { createRecordRetentionActivities } from './record-retention.js';

const BATCH = 200;

export type RetentionSweepCounts = { conversations: number; messages: number; workflowRunsDeleted: number };

export const createRetentionActivities = (deps: ActivityDeps) => ({
  ...createRecordRetentionActivities(deps),
  async sweepExpiredConversations(input: {
    retentionDays: number;
    inactiveForMs: number;
    sweepKey: string;
  }): Promise<RetentionSweepCounts> {
    const { models } = deps;
    const client = temporalClientOf(deps);
    const cutoff = new Date(nowOf(deps).getTime() - input.inactiveForMs);
    const counts: RetentionSweepCounts = { conversations: 0, messages: 0, workflowRunsDeleted: 0 };
    for (;;) {
      const stale = await models.Conversation.find(
        { $or: [{ lastMessageAt: { $lt: cutoff } }, { lastMessageAt: { $exists: false }, createdAt: { $lt: cutoff } }] },
        { _id: 1 },
      )
        .limit(BATCH)
        .lean();
      for (const { _id: conversationId } of stale) {
        // No polite control update here: a straggler's workflow may be the thing that is stuck.
        const runs = await deleteWorkflowRuns(client, conversationId);
        const messages = await models.Message.deleteMany({ conversationId });
        await models.Conversation.deleteOne({ _id: conversationId });
        await models.Lead.updateMany({ conversationIds: conversationId }, { $pull: { conversationIds: conversationId } });
        counts.conversations++;
        counts.messages += messages.deletedCount;
        counts.workflowRunsDeleted += runs.deleted + runs.terminatedOnly;
      }
      if (stale.length < BATCH) break;
    }
    if (counts.conversations > 0)
      deps.log.warn({ ...counts, cutoff: cutoff.toISOString() }, 'retention sweep purged conversations their workflows had missed');
    else deps.log.info({ cutoff: cutoff.toISOString() }, 'retention sweep found nothing past retention');
    await writeAudit(
      models,
      {
        key: `retention-sweep:${input.sweepKey}`,
        actorType: 'system',
        action: 'retention.sweep',
        details: { ...counts, retentionDays: input.retentionDays },
      },
      nowOf(deps),
    );
    return counts;
  },
});
