import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db/seed-demo.js';
import { ensureRetentionSweep } from '../../temporal/retention-sweep.js';
import { retentionSweepWorkflow } from '../../workflows/retention-sweep.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('retention sweep', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('privacy-retention');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const converse = async (psid: string) => {
    const key = { businessId: DEMO.businessId, channel: 'messenger' as const, contactId: psid };
    await h.dispatcher.inbound(key, 'ch_demo_messenger', { eventId: mid(), kind: 'message', text: 'Hello there', at: Date.now() });
    await eventually(() => h.graph.messagesTo(psid).length === 1, { what: `reply to ${psid}` });
    return h.dispatcher.workflowIdFor(key);
  };

  it('purges conversations their workflows missed, deletes those workflows, counts them and leaves recent ones', async () => {
    const stale = await converse('psid-stale');
    const recent = await converse('psid-recent');
    // The thread's own 90-day timer was lost (say, the workflow was stuck): its records look 100 days old.
    await h.models.Conversation.updateOne({ _id: stale }, { $set: { lastMessageAt: new Date(Date.now() - 100 * DAY_MS) } });

    const result = await h.client.workflow.execute(retentionSweepWorkflow, {
      workflowId: `retention-test-${randomUUID()}`, taskQueue: h.taskQueue, args: [{ retentionDays: 90, stopAfterSweeps: 1 }],
    });
    expect(result.totals).toMatchObject({ sweeps: 1, conversations: 1, workflowRunsDeleted: 1 });
    expect(result.totals.messages).toBeGreaterThanOrEqual(2);
    expect(await h.models.Conversation.countDocuments({ _id: stale })).toBe(0);
    expect(await h.models.Message.countDocuments({ conversationId: stale })).toBe(0);
    await eventually(async () => h.client.workflow.getHandle(stale).describe().then(() => false, (e: unknown) => e instanceof WorkflowNotFoundError), { what: 'stale workflow deleted' });

    expect(await h.models.Conversation.countDocuments({ _id: recent })).toBe(1);
    expect((await h.client.workflow.getHandle(recent).describe()).status.name).toBe('RUNNING');
    const audit = await h.models.AuditEntry.findOne({ action: 'retention.sweep' }).lean();
    expect(audit?.details).toMatchObject({ conversations: 1, retentionDays: 90 });
  });

  it('is started once however many workers start', async () => {
    const first = await ensureRetentionSweep(h.client, h.taskQueue, 90);
    const second = await ensureRetentionSweep(h.client, h.taskQueue, 90);
    expect(second).toBe(first);
    const handle = h.client.workflow.getHandle(first);
    const runId = (await handle.describe()).runId;
    await ensureRetentionSweep(h.client, h.taskQueue, 90);
    expect((await handle.describe()).runId).toBe(runId);
    await handle.terminate('test over');
  });
});
