import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivacyRequest } from '../../../starters/privacy-requests.js';
import { deletionStatusQuery } from '../../../workflows/data-deletion.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';

describe('privacy request deadline (time skipping)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('privacy-deadline', { timeSkipping: true, withResend: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('reminds compliance at day 21, marks the request overdue and escalates to compliance at day 30 while a step keeps failing, then completes', async () => {
    // Graph answers 5xx for weeks: the lookup step keeps retrying, once a skipped day.
    h.graph.failNext({ method: 'GET', path: /ids_for_pages/, status: 500, times: 1000 });
    const started = await startPrivacyRequest(
      { client: h.client, taskQueue: h.taskQueue, models: h.models, keyRing: h.config.ENCRYPTION_KEY },
      {
        kind: 'deletion',
        source: 'meta_callback',
        subject: { asid: 'asid-stuck' },
        requestedBy: { type: 'meta' },
        dedupeKey: 'meta:asid-stuck:1',
        tuning: { stepRetry: { initialInterval: '1 day', backoffCoefficient: 1, maximumInterval: '1 day' } },
      },
    );
    const handle = h.client.workflow.getHandle(started.workflowId);
    const status = () => handle.query(deletionStatusQuery);
    await eventually(async () => (await status()).status === 'in_progress', { what: 'request opened' });
    const compliance = () => h.resend!.emailsTo(h.config.COMPLIANCE_EMAIL);

    await h.testEnv!.sleep('20 days');
    expect((await status()).status).toBe('in_progress');
    expect(compliance()).toHaveLength(0);

    await h.testEnv!.sleep('2 days');
    const [reminder] = await eventually(() => (compliance().length > 0 ? compliance() : undefined), { what: 'day-21 reminder email' });
    expect(reminder!.subject).toContain(started.requestId);
    expect(reminder!.text).toContain('find_subject_records');
    expect(reminder!.text).not.toContain('asid-stuck');
    await eventually(async () => (await h.models.PrivacyRequest.findById(started.requestId).lean())?.reminderSentAt, {
      what: 'reminder recorded',
    });
    expect((await status()).status).toBe('in_progress');

    await h.testEnv!.sleep('9 days');
    await eventually(async () => (await status()).status === 'overdue', { what: 'overdue in the workflow' });
    const row = await eventually(
      async () => {
        const r = await h.models.PrivacyRequest.findById(started.requestId).lean();
        return r?.status === 'overdue' ? r : undefined;
      },
      { what: 'overdue on the status page' },
    );
    expect(row.overdueAt).toBeTruthy();
    // Day 30: the compliance inbox hears that the deadline has passed.
    const [, overdue] = await eventually(() => (compliance().length > 1 ? compliance() : undefined), { what: 'day-30 overdue email' });
    expect(overdue!.subject).toMatch(new RegExp(`^Overdue: privacy request ${started.requestId}`));
    expect(overdue!.text).toContain('find_subject_records');
    expect(overdue!.text).not.toContain('asid-stuck');
    expect(compliance()).toHaveLength(2);

    expect(h.graph.callsTo('GET', /ids_for_pages/).length).toBeGreaterThanOrEqual(25);

    // Meta recovers: the next retry goes through and the request completes, late.
    h.graph.reset();
    await h.testEnv!.sleep('1 day');
    const result = await handle.result();
    expect(result.wasOverdue).toBe(true);
    const done = await h.models.PrivacyRequest.findById(started.requestId).lean();
    expect(done?.status).toBe('completed');
    const actions = (await h.models.AuditEntry.find({ 'details.requestId': started.requestId }).lean()).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['privacy.deletion.reminder', 'privacy.deletion.status_overdue', 'privacy.deletion.status_completed']),
    );
  });
});
