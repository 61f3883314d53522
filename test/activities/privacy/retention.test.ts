import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordRetentionActivities } from '../../../activities/privacy/record-retention.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { DAY_MS, HOUR_MS } from '../../../lib/durations.js';
import { ensureRetentionSweep } from '../../../starters/sweeps.js';
import { retentionSweepWorkflow } from '../../../workflows/retention-sweep.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';

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
    // The thread's own purge timer was lost (say, the workflow was stuck): its records look 89 days and 1 hour old,
    // past its purge time (89 days: 90 minus the day Temporal keeps closed histories) but not yet at the promise.
    await h.models.Conversation.updateOne({ _id: stale }, { $set: { lastMessageAt: new Date(Date.now() - 89 * DAY_MS - HOUR_MS) } });

    const result = await h.client.workflow.execute(retentionSweepWorkflow, {
      workflowId: `retention-test-${randomUUID()}`,
      taskQueue: h.taskQueue,
      args: [{ retentionDays: 90, historyRetentionHours: 24, stopAfterSweeps: 1 }],
    });
    expect(result.totals).toMatchObject({ sweeps: 1, conversations: 1, workflowRunsDeleted: 1 });
    expect(result.totals.messages).toBeGreaterThanOrEqual(2);
    expect(await h.models.Conversation.countDocuments({ _id: stale })).toBe(0);
    expect(await h.models.Message.countDocuments({ conversationId: stale })).toBe(0);
    await eventually(
      async () =>
        h.client.workflow
          .getHandle(stale)
          .describe()
          .then(
            () => false,
            (e: unknown) => e instanceof WorkflowNotFoundError,
          ),
      { what: 'stale workflow deleted' },
    );

    expect(await h.models.Conversation.countDocuments({ _id: recent })).toBe(1);
    expect((await h.client.workflow.getHandle(recent).describe()).status.name).toBe('RUNNING');
    const audit = await h.models.AuditEntry.findOne({ action: 'retention.sweep' }).lean();
    expect(audit?.details).toMatchObject({ conversations: 1, retentionDays: 90 });
  });

  it('applies the retention of sessions, notification and delivery logs and audit entries, keeping what is recent', async () => {
    const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
    const id = (what: string) => `${what}-${randomUUID()}`;
    const sessions = {
      expiredLongAgo: { _id: id('ses'), expiresAt: ago(10) },
      revokedLongAgo: { _id: id('ses'), expiresAt: ago(-20), revokedAt: ago(10) },
      expiredYesterday: { _id: id('ses'), expiresAt: ago(1) },
      // Rotated but not expired: kept, so presenting it again still revokes its family.
      rotated: { _id: id('ses'), expiresAt: ago(-20), rotatedTo: 'next-token-hash' },
    };
    for (const s of Object.values(sessions)) await h.models.Session.create({ ...s, sessionId: id('family'), userId: 'usr_retention' });
    const note = (days: number) => ({
      _id: id('note'),
      businessId: DEMO.businessId,
      kind: 'lead_created',
      channel: 'email' as const,
      target: 'owner@clinic.example',
      status: 'sent' as const,
      days,
    });
    const notes = [note(100), note(80)];
    await h.models.Notification.create(notes.map(({ days: _days, ...n }) => n));
    // createdAt is set by mongoose on create; the raw collection backdates it.
    for (const n of notes) await h.models.Notification.collection.updateOne({ _id: n._id as never }, { $set: { createdAt: ago(n.days) } });
    const delivery = (days: number) => ({
      _id: id('whd'),
      businessId: DEMO.businessId,
      endpointId: 'wh_1',
      eventId: 'ev_1',
      type: 'lead.created',
      workflowId: 'wf_1',
      attempt: 1,
      at: ago(days),
    });
    const deliveries = [delivery(100), delivery(80)];
    await h.models.WebhookDelivery.create(deliveries);
    const audits = [
      { _id: id('aud'), at: ago(3 * 365) },
      { _id: id('aud'), at: ago(365) },
    ];
    await h.models.AuditEntry.create(audits.map((a) => ({ ...a, actorType: 'system' as const, action: 'test.old_entry' })));

    const handle = await h.client.workflow.start(retentionSweepWorkflow, {
      workflowId: `retention-test-${randomUUID()}`,
      taskQueue: h.taskQueue,
      args: [{ retentionDays: 90, stopAfterSweeps: 1 }],
    });
    const result = await handle.result();
    expect(result.totals.records).toEqual({ sessions: 2, notifications: 1, webhookDeliveries: 1, auditEntries: 1 });
    const left = async (
      model: typeof h.models.Session | typeof h.models.Notification | typeof h.models.WebhookDelivery | typeof h.models.AuditEntry,
      ids: string[],
    ) => (await (model as typeof h.models.Session).find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((d) => d._id).sort();
    expect(
      await left(
        h.models.Session,
        Object.values(sessions).map((s) => s._id),
      ),
    ).toEqual([sessions.expiredYesterday._id, sessions.rotated._id].sort());
    expect(
      await left(
        h.models.Notification,
        notes.map((n) => n._id),
      ),
    ).toEqual([notes[1]!._id]);
    expect(
      await left(
        h.models.WebhookDelivery,
        deliveries.map((d) => d._id),
      ),
    ).toEqual([deliveries[1]!._id]);
    expect(
      await left(
        h.models.AuditEntry,
        audits.map((a) => a._id),
      ),
    ).toEqual([audits[1]!._id]);
    expect(await h.models.AuditEntry.findById(`retention-records:${handle.firstExecutionRunId}:0`).lean()).toMatchObject({
      details: { auditEntries: 1, auditDays: 730, notificationDays: 90 },
    });
  });

  it('takes its periods from config and its clock from the deps', async () => {
    const now = new Date(Date.now() + 400 * DAY_MS);
    const { sweepExpiredRecords } = createRecordRetentionActivities({
      ...h.activityDeps,
      now: () => now,
      retention: { auditDays: 365, sessionGraceDays: 1, notificationDays: 30, webhookDeliveryDays: 30 },
    });
    const entry = { _id: `aud-${randomUUID()}`, at: new Date(), actorType: 'system' as const, action: 'test.recent_entry' };
    await h.models.AuditEntry.create(entry);
    // 400 days on, a year's retention has passed for an entry written today.
    await sweepExpiredRecords({ sweepKey: randomUUID() });
    expect(await h.models.AuditEntry.countDocuments({ _id: entry._id })).toBe(0);
  });

  it('drops expired account links and stale login-backoff counters, keeping live ones', async () => {
    const now = new Date();
    const { sweepExpiredRecords } = createRecordRetentionActivities({ ...h.activityDeps, now: () => now });
    const tag = randomUUID();
    const tokens = [
      { _id: `tok-old-${tag}`, expiresAt: new Date(now.getTime() - 30 * DAY_MS) },
      { _id: `tok-live-${tag}`, expiresAt: new Date(now.getTime() + DAY_MS) },
    ];
    for (const t of tokens) await h.models.AccountToken.collection.insertOne({ ...t, kind: 'verify_email', userId: 'u' } as never);
    const throttles = [
      {
        _id: `thr-old-${tag}`,
        failures: 7,
        lastFailureAt: new Date(now.getTime() - 3 * DAY_MS),
        blockedUntil: new Date(now.getTime() - 2 * DAY_MS),
      },
      {
        _id: `thr-live-${tag}`,
        failures: 7,
        lastFailureAt: new Date(now.getTime() - 60_000),
        blockedUntil: new Date(now.getTime() + 60_000),
      },
    ];
    for (const t of throttles) await h.models.LoginThrottle.collection.insertOne(t as never);
    const counts = await sweepExpiredRecords({ sweepKey: randomUUID() });
    expect(counts.accountTokens).toBeGreaterThanOrEqual(1);
    expect(await h.models.AccountToken.countDocuments({ _id: { $in: tokens.map((t) => t._id) } })).toBe(1);
    expect(await h.models.AccountToken.exists({ _id: `tok-live-${tag}` })).toBeTruthy();
    expect(await h.models.LoginThrottle.countDocuments({ _id: { $in: throttles.map((t) => t._id) } })).toBe(1);
    expect(await h.models.LoginThrottle.exists({ _id: `thr-live-${tag}` })).toBeTruthy();
  });

  it('is started once however many workers start', async () => {
    const first = await ensureRetentionSweep(h.client, h.taskQueue, 90, 24);
    const second = await ensureRetentionSweep(h.client, h.taskQueue, 90, 24);
    expect(second).toBe(first);
    const handle = h.client.workflow.getHandle(first);
    const runId = (await handle.describe()).runId;
    await ensureRetentionSweep(h.client, h.taskQueue, 90, 24);
    expect((await handle.describe()).runId).toBe(runId);
    await handle.terminate('test over');
  });
});
