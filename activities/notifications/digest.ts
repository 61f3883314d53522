/**
 * The daily digest for businesses in digest mode: when the next one is due (18:00 business time) and the one
 * email listing every new lead that was deferred to it. Idempotency key: `digest:{businessId}:{localDate}`.
 */
import { addDays, localParts, safeTimeZone, zonedTimeToUtc } from '../../ai/zoned-time.js';
import type { ActivityDeps } from '../deps.js';
import { digestEmail } from '../../domain/emails/index.js';
import { leadFactsOf, type LeadLike } from './content.js';
import { dashboardLeadUrl } from './deps.js';
import { createNotificationSender, throwIfRetryable } from './send.js';

export const DIGEST_HOUR = 18;
const MAX_LISTED = 50;

/** The first `hour`:00 on the business's wall clock strictly after `nowMs`, DST included. */
export const nextLocalTime = (nowMs: number, timeZone: string, hour: number) => {
  const tz = safeTimeZone(timeZone);
  const today = localParts(new Date(nowMs), tz);
  let date = { year: today.year, month: today.month, day: today.day };
  let at = zonedTimeToUtc(date.year, date.month, date.day, hour, 0, tz).getTime();
  if (at <= nowMs) {
    date = addDays(date.year, date.month, date.day, 1);
    at = zonedTimeToUtc(date.year, date.month, date.day, hour, 0, tz).getTime();
  }
  const localDate = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  return { at, localDate };
};

export type DigestPlan = { status: 'scheduled'; sendAt: number; localDate: string } | { status: 'instant_mode' | 'business_gone' };

export const createDigestActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const sender = createNotificationSender(deps);

  return {
    /** `nowMs` is workflow time, so skipped time in tests and the workflow's own clock agree. */
    async planDailyDigest(input: { businessId: string; nowMs: number }): Promise<DigestPlan> {
      const business = await models.Business.findById(input.businessId, { timezone: 1, emailMode: 1 }).lean();
      if (!business) return { status: 'business_gone' };
      // Leads deferred before a switch back to instant mode still get their digest.
      const hasDeferred = await models.Notification.exists({ businessId: input.businessId, status: 'deferred' });
      if (business.emailMode !== 'digest' && !hasDeferred) return { status: 'instant_mode' };
      const next = nextLocalTime(input.nowMs, business.timezone, DIGEST_HOUR);
      return { status: 'scheduled', sendAt: next.at, localDate: next.localDate };
    },

    async sendDailyDigest(input: { businessId: string; localDate: string; cutoffMs: number }) {
      const digestKey = `digest:${input.businessId}:${input.localDate}`;
      // Rows join this digest once; a retry finds the same set under the same key and sends the same email.
      await models.Notification.updateMany(
        { businessId: input.businessId, status: 'deferred', digestKey: { $exists: false }, createdAt: { $lte: new Date(input.cutoffMs) } },
        { $set: { digestKey } },
      );
      const rows = await models.Notification.find({ businessId: input.businessId, digestKey }, { leadId: 1 }).lean();
      const business = await models.Business.findById(input.businessId, { name: 1, notifyEmails: 1 }).lean();
      const leadIds = [...new Set(rows.map((r) => r.leadId).filter((id): id is string => typeof id === 'string'))];
      const leads = (await models.Lead.find({ _id: { $in: leadIds } })
        .sort({ createdAt: 1 })
        .lean()) as unknown as LeadLike[];
      if (!business || leads.length === 0) {
        await models.Notification.updateMany(
          { businessId: input.businessId, digestKey, status: 'deferred' },
          { $set: { status: 'skipped', reason: 'no leads left to list' } },
        );
        return { sent: false, leads: 0 };
      }
      const facts = leads.map((l) => leadFactsOf(l, dashboardLeadUrl(sender.notify, l._id)));
      const email = digestEmail(business.name, input.localDate, facts.slice(0, MAX_LISTED), facts.length);
      const outcome = await sender.emailOnce(
        digestKey,
        { businessId: business._id, kind: 'digest' },
        business.notifyEmails,
        'owners',
        email,
        { idempotencyKey: digestKey },
      );
      throwIfRetryable([outcome]);
      const settled =
        outcome.status === 'sent'
          ? { status: 'sent', sentAt: new Date() }
          : { status: outcome.status === 'skipped' ? 'skipped' : 'failed', reason: outcome.reason };
      await models.Notification.updateMany({ businessId: input.businessId, digestKey, status: 'deferred' }, { $set: settled });
      return { sent: outcome.status === 'sent', leads: facts.length };
    },
  };
};
