import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSweepCounts } from '../../activities/privacy/record-retention.js';
import type { RetentionSweepCounts } from '../../activities/privacy/retention.js';
import { STRAGGLER_MARGIN_MS } from '../../domain/conversation.js';
import { DAY_MS, HOUR_MS } from '../../lib/durations.js';
import { retentionSweepStatusQuery, retentionSweepWorkflow, type RetentionSweepInput } from '../../workflows/retention-sweep.js';
import { attemptInfo, startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';

const RECORDS: RecordSweepCounts = { sessions: 1, notifications: 2, webhookDeliveries: 3, auditEntries: 4 };

/** Each sweep purges one conversation with 5 messages unless `failConversations`/`failRecords` say that activity is down. */
const sweepStub = (opts: { failConversations?: boolean; failRecords?: boolean } = {}) => {
  const conversationSweeps: { sweepKey: string; retentionDays: number; inactiveForMs: number; at: number }[] = [];
  const recordSweeps: string[] = [];
  return {
    conversationSweeps,
    recordSweeps,
    activities: {
      async sweepExpiredConversations(input: {
        retentionDays: number;
        inactiveForMs: number;
        sweepKey: string;
      }): Promise<RetentionSweepCounts> {
        conversationSweeps.push({ ...input, at: attemptInfo().scheduledAt });
        if (opts.failConversations) throw new Error('mongo down');
        return { conversations: 1, messages: 5, workflowRunsDeleted: 1 };
      },
      async sweepExpiredRecords(input: { sweepKey: string }): Promise<RecordSweepCounts> {
        recordSweeps.push(input.sweepKey);
        if (opts.failRecords) throw new Error('mongo down');
        return RECORDS;
      },
    } satisfies StubActivities,
  };
};

describe('retentionSweepWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const sweep = (activities: StubActivities, input: RetentionSweepInput) => {
    const workflowId = uniqueWorkflowId('retention-sweep');
    return withWorker(env, activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(retentionSweepWorkflow, { taskQueue, workflowId, args: [input] });
      const result = await handle.result();
      const firstRun = await env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
      return { result, firstRun, status: await handle.query(retentionSweepStatusQuery) };
    });
  };

  it('sweeps every hour for threads past their purge time, totals carried across continue-as-new, each sweep with a key of its own', async () => {
    const stub = sweepStub();
    const { result, firstRun, status } = await sweep(stub.activities, {
      retentionDays: 90,
      historyRetentionHours: 24,
      sweepsPerRun: 2,
      stopAfterSweeps: 3,
    });
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(result).toEqual({
      reason: 'stopped_after_sweeps',
      totals: {
        sweeps: 3,
        conversations: 3,
        messages: 15,
        workflowRunsDeleted: 3,
        records: { sessions: 3, notifications: 6, webhookDeliveries: 9, auditEntries: 12 },
      },
    });
    expect(status).toEqual(result.totals);
    // A straggler: inactive past its own purge time (89 days: 90 minus the day Temporal keeps closed histories) and a margin.
    const stragglerAfter = 89 * DAY_MS + STRAGGLER_MARGIN_MS;
    expect(stub.conversationSweeps.map((s) => [s.retentionDays, s.inactiveForMs])).toEqual([
      [90, stragglerAfter],
      [90, stragglerAfter],
      [90, stragglerAfter],
    ]);
    // Swept within the hour after that, so even a straggler is gone before day 90.
    expect(stragglerAfter + HOUR_MS).toBeLessThanOrEqual(90 * DAY_MS);
    const [first, second, third] = stub.conversationSweeps.map((s) => s.at);
    expect(second! - first!).toBeGreaterThanOrEqual(HOUR_MS);
    expect(second! - first!).toBeLessThan(2 * HOUR_MS);
    expect(third! - second!).toBeGreaterThanOrEqual(HOUR_MS);
    expect(new Set(stub.conversationSweeps.map((s) => s.sweepKey)).size).toBe(3);
    expect(stub.recordSweeps).toEqual(stub.conversationSweeps.map((s) => s.sweepKey));
  });

  it('a sweep that fails after its retries is logged and the next sweep tries again; the records sweep still runs', async () => {
    const stub = sweepStub({ failConversations: true });
    const { result } = await sweep(stub.activities, { retentionDays: 30, stopAfterSweeps: 2 });
    // Eight attempts per sweep (1 min doubling to 1 h), two sweeps.
    expect(stub.conversationSweeps).toHaveLength(16);
    expect(result.totals).toMatchObject({ sweeps: 2, conversations: 0, records: { sessions: 2 } });
  });

  it('a records sweep that fails after its retries leaves the conversation totals alone', async () => {
    const stub = sweepStub({ failRecords: true });
    const { result } = await sweep(stub.activities, { retentionDays: 30, stopAfterSweeps: 1 });
    expect(stub.recordSweeps).toHaveLength(8);
    expect(result.totals).toEqual({ sweeps: 1, conversations: 1, messages: 5, workflowRunsDeleted: 1 });
  });
});
