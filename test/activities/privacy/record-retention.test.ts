/** The record retention sweep's email send log and processed Stripe event ids: deleted past their periods, recent ones kept. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordRetentionActivities } from '../../../activities/privacy/record-retention.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { DAY_MS } from '../../../lib/durations.js';

describe('record retention: email_sends and stripe_events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('email-stripe-retention', { startWorker: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('deletes send log rows after EMAIL_SEND_RETENTION_DAYS and Stripe event ids after STRIPE_EVENT_RETENTION_DAYS', async () => {
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const sendRow = (id: string, createdAt: Date) => ({
      _id: id,
      idempotencyKey: id,
      template: 'welcome',
      status: 'sent',
      attempts: 1,
      createdAt,
      updatedAt: createdAt,
    });
    // Raw inserts: mongoose would stamp createdAt with now.
    await h.db.connection
      .collection<{ _id: string }>('email_sends')
      .insertMany([sendRow('send-old', ago(91)), sendRow('send-recent', ago(89))]);
    await h.models.StripeEvent.create([
      { _id: 'evt_old', type: 'invoice.paid', businessId: 'biz_r', receivedAt: ago(31) },
      { _id: 'evt_recent', type: 'invoice.paid', businessId: 'biz_r', receivedAt: ago(29) },
    ]);
    expect(h.config.EMAIL_SEND_RETENTION_DAYS).toBe(90);
    expect(h.config.STRIPE_EVENT_RETENTION_DAYS).toBe(30);

    const { sweepExpiredRecords } = createRecordRetentionActivities({ ...h.activityDeps, now: () => now });
    const counts = await sweepExpiredRecords({ sweepKey: randomUUID() });
    expect(counts).toMatchObject({ emailSends: 1, stripeEvents: 1 });
    expect((await h.models.EmailSend.find({}, { _id: 1 }).lean()).map((r) => r._id)).toEqual(['send-recent']);
    expect((await h.models.StripeEvent.find({}, { _id: 1 }).lean()).map((r) => r._id)).toEqual(['evt_recent']);
    const audit = await h.models.AuditEntry.findOne({ action: 'retention.records_sweep' }).sort({ at: -1 }).lean();
    expect(audit?.details).toMatchObject({ emailSends: 1, stripeEvents: 1, emailSendDays: 90, stripeEventDays: 30 });
  });

  it('deletes expired pending Page choices (sealed user tokens) and spent OAuth nonces, keeping live ones', async () => {
    const now = new Date();
    const pending = (id: string, expiresAt: Date) => ({
      _id: id,
      businessId: 'biz_r',
      userId: 'usr_r',
      asid: 'asid_r',
      pages: [],
      expiresAt,
    });
    await h.models.PendingMetaConnection.collection.insertMany([
      pending('pmc-expired', new Date(now.getTime() - 60_000)),
      pending('pmc-live', new Date(now.getTime() + 60_000)),
    ] as never[]);
    await h.models.UsedOAuthNonce.create([
      { _id: 'nonce-spent', expiresAt: new Date(now.getTime() - 60_000) },
      { _id: 'nonce-live', expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    const { sweepExpiredRecords } = createRecordRetentionActivities({ ...h.activityDeps, now: () => now });
    expect(await sweepExpiredRecords({ sweepKey: randomUUID() })).toMatchObject({ pendingMetaConnections: 1, oauthNonces: 1 });
    expect((await h.models.PendingMetaConnection.find({}, { _id: 1 }).lean()).map((r) => r._id)).toEqual(['pmc-live']);
    expect((await h.models.UsedOAuthNonce.find({}, { _id: 1 }).lean()).map((r) => r._id)).toEqual(['nonce-live']);
  });
});
