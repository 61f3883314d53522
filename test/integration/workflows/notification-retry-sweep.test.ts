import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationRetrySweepWorkflow } from '../../../workflows/notification-retry-sweep.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { createNotifiedBusiness, emailsTo } from '../../helpers/notification-fixtures.js';
import { MINUTE_MS } from '../../../lib/durations.js';

describe('notificationRetrySweepWorkflow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('notification-retry-sweep', { withResend: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('notifies a lead event its conversation gave up on, once, and leaves fresh and ancient ones alone', async () => {
    const b = await createNotifiedBusiness(h, { numbers: 0 });
    // A lead whose lead_created alert was never sent: its conversation's retries ran out while the providers were down.
    const lead = await h.models.Lead.create({
      _id: `lead_sweep_${randomUUID().slice(0, 8)}`,
      businessId: b.id,
      channel: 'web',
      name: 'Jo Baker',
      email: 'jo@example.com',
      contactKeys: ['web:sess-outage'],
    });
    // A visitor who left no phone or email: the alert waits for one, which is not the sweep's business.
    const anonymous = await h.models.Lead.create({
      _id: `lead_sweep_${randomUUID().slice(0, 8)}`,
      businessId: b.id,
      channel: 'web',
      name: 'Anon',
      contactKeys: ['web:sess-anon'],
    });
    const at = (ms: number) => new Date(Date.now() - ms);
    const event = (kind: string, ageMs: number) => ({
      _id: `${kind}:${lead._id}` as never,
      businessId: b.id,
      leadId: lead._id,
      kind,
      createdAt: at(ageMs),
      updatedAt: at(ageMs),
    });
    const eventId = `lead_created:${lead._id}`;
    await h.models.LeadEvent.collection.insertMany([
      event('lead_created', 20 * MINUTE_MS),
      event('lead_urgent', MINUTE_MS), // still within its conversation's own retries
      event('specialist_review', 8 * 24 * 60 * MINUTE_MS), // a week late helps nobody
      {
        ...event('lead_created', 20 * MINUTE_MS),
        _id: `lead_created:${anonymous._id}` as never,
        leadId: anonymous._id,
        awaitingContactAt: at(20 * MINUTE_MS),
      },
    ]);

    const result = await h.client.workflow.execute(notificationRetrySweepWorkflow, {
      workflowId: `notification-sweep-test-${randomUUID()}`,
      taskQueue: h.taskQueue,
      args: [{ stopAfterSweeps: 1 }],
    });
    expect(result).toEqual({ sweeps: 1, notified: 1 });
    expect((await h.models.LeadEvent.findById(eventId).lean())?.notifiedAt).toBeInstanceOf(Date);
    expect(emailsTo(h, b.email).filter((m) => m.subject.startsWith('New lead: Jo Baker'))).toHaveLength(1);
    expect((await h.models.LeadEvent.findById(`lead_urgent:${lead._id}`).lean())?.notifiedAt).toBeUndefined();
    expect((await h.models.LeadEvent.findById(`specialist_review:${lead._id}`).lean())?.notifiedAt).toBeUndefined();

    // A second sweep finds nothing left to do: nothing is sent twice.
    const again = await h.client.workflow.execute(notificationRetrySweepWorkflow, {
      workflowId: `notification-sweep-test-${randomUUID()}`,
      taskQueue: h.taskQueue,
      args: [{ stopAfterSweeps: 1 }],
    });
    expect(again).toEqual({ sweeps: 1, notified: 0 });
    expect(emailsTo(h, b.email).filter((m) => m.subject.startsWith('New lead: Jo Baker'))).toHaveLength(1);
    expect(emailsTo(h, b.email).filter((m) => m.subject.includes('Anon'))).toHaveLength(0);
    expect((await h.models.LeadEvent.findById(`lead_created:${anonymous._id}`).lean())?.notifiedAt).toBeUndefined();
  });
});
