/**
 * Retention of the records that would otherwise grow for ever: refresh-token sessions past expiry or
 * revocation plus a grace, expired account links and stale login-backoff counters, the notification and CRM
 * webhook delivery logs, the email send log, processed Stripe event ids, and audit entries past the
 * period they are kept for accountability. FerretDB v1 has no TTL indexes, so the daily retention-sweep
 * workflow runs this; the periods come from config (ActivityDeps.retention).
 */
import { writeAudit } from '../../domain/audit.js';
import { sweepOutreachRecords, type OutreachSweepCounts } from '../../domain/outreach/retention.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { DAY_MS } from '../../lib/durations.js';

export type RecordSweepCounts = {
  sessions: number;
  notifications: number;
  webhookDeliveries: number;
  auditEntries: number;
  accountTokens?: number;
  loginThrottles?: number;
  emailSends?: number;
  stripeEvents?: number;
  pendingMetaConnections?: number;
  oauthNonces?: number;
} & Partial<OutreachSweepCounts>;

export const createRecordRetentionActivities = (deps: ActivityDeps) => ({
  async sweepExpiredRecords(input: { sweepKey: string }): Promise<RecordSweepCounts> {
    const { models } = deps;
    const r = deps.retention;
    const now = nowOf(deps);
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const sessionCutoff = daysAgo(r.sessionGraceDays);
    const counts: RecordSweepCounts = {
      // A rotated token stays until it expires: presenting it again is how a stolen refresh token is caught.
      sessions: (await models.Session.deleteMany({ $or: [{ expiresAt: { $lt: sessionCutoff } }, { revokedAt: { $lt: sessionCutoff } }] }))
        .deletedCount,
      // Long past any resend: the notification retry sweep looks back a week, conversations' own retries less.
      notifications: (await models.Notification.deleteMany({ createdAt: { $lt: daysAgo(r.notificationDays) } })).deletedCount,
      webhookDeliveries: (await models.WebhookDelivery.deleteMany({ at: { $lt: daysAgo(r.webhookDeliveryDays) } })).deletedCount,
      auditEntries: (await models.AuditEntry.deleteMany({ at: { $lt: daysAgo(r.auditDays) } })).deletedCount,
      // Verification, reset and invitation links (hashed, holding an invitee's address) once expired, and login
      // backoff counters (hashed email + IP) a day after their last failure, when no pause can still apply.
      accountTokens: (await models.AccountToken.deleteMany({ expiresAt: { $lt: sessionCutoff } })).deletedCount,
      loginThrottles: (
        await models.LoginThrottle.deleteMany({
          lastFailureAt: { $lt: daysAgo(1) },
          $or: [{ blockedUntil: { $exists: false } }, { blockedUntil: { $lt: now } }],
        })
      ).deletedCount,
      // The email send log (recipients hashed) and the Stripe event ids that drop redeliveries, long after Stripe stops.
      emailSends: (await models.EmailSend.deleteMany({ createdAt: { $lt: daysAgo(r.emailSendDays ?? 90) } })).deletedCount,
      stripeEvents: (await models.StripeEvent.deleteMany({ receivedAt: { $lt: daysAgo(r.stripeEventDays ?? 30) } })).deletedCount,
      // A login's Pages waiting to be chosen hold sealed user tokens: gone when they expire, not at the next login.
      pendingMetaConnections: (await models.PendingMetaConnection.deleteMany({ expiresAt: { $lt: now } })).deletedCount,
      oauthNonces: (await models.UsedOAuthNonce.deleteMany({ expiresAt: { $lt: now } })).deletedCount,
      // Never-engaged prospects past their period; their suppressions (hashed) stay for ever.
      ...(r.outreachProspectDays ? await sweepOutreachRecords(models, now, r.outreachProspectDays) : {}),
    };
    deps.log.info({ ...counts }, 'record retention sweep done');
    await writeAudit(
      models,
      {
        key: `retention-records:${input.sweepKey}`,
        actorType: 'system',
        action: 'retention.records_sweep',
        details: {
          ...counts,
          auditDays: r.auditDays,
          sessionGraceDays: r.sessionGraceDays,
          notificationDays: r.notificationDays,
          webhookDeliveryDays: r.webhookDeliveryDays,
          emailSendDays: r.emailSendDays ?? 90,
          stripeEventDays: r.stripeEventDays ?? 30,
        },
      },
      now,
    );
    return counts;
  },
});
