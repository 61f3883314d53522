/**
 * Retention of outreach data (run by the daily records sweep): prospects who never opened, clicked or replied are
 * deleted with their enrollments and sends once past the period, unless a sequence of theirs still runs; import
 * reports (they list rejected addresses) after 30 days; rate-cap buckets past their day. Suppressions are kept.
 */
import type { Models } from '../../db/models/index.js';
import { deleteExpiredSendSlots } from './send-slots.js';
import { DAY_MS } from '../../lib/durations.js';

const IMPORT_REPORT_DAYS = 30;
const BATCH = 500;

export type OutreachSweepCounts = { outreachProspects: number; outreachImports: number; outreachSendSlots: number };

const deleteStaleProspects = async (models: Models, cutoff: Date) => {
  let deleted = 0;
  for (;;) {
    const stale = await models.OutreachProspect.find({ createdAt: { $lt: cutoff }, engagedAt: { $exists: false } }, { _id: 1 })
      .limit(BATCH)
      .lean();
    const running = new Set(
      (
        await models.OutreachEnrollment.find({ prospectId: { $in: stale.map((p) => p._id) }, status: 'active' }, { prospectId: 1 }).lean()
      ).map((e) => e.prospectId),
    );
    const ids = stale.map((p) => p._id).filter((id) => !running.has(id));
    if (ids.length > 0) {
      await models.OutreachSend.deleteMany({ prospectId: { $in: ids } });
      await models.OutreachEnrollment.deleteMany({ prospectId: { $in: ids } });
      deleted += (await models.OutreachProspect.deleteMany({ _id: { $in: ids } })).deletedCount;
    }
    if (stale.length < BATCH || ids.length === 0) return deleted;
  }
};

export const sweepOutreachRecords = async (models: Models, now: Date, prospectRetentionDays: number): Promise<OutreachSweepCounts> => ({
  outreachProspects: await deleteStaleProspects(models, new Date(now.getTime() - prospectRetentionDays * DAY_MS)),
  outreachImports: (await models.OutreachImport.deleteMany({ createdAt: { $lt: new Date(now.getTime() - IMPORT_REPORT_DAYS * DAY_MS) } }))
    .deletedCount,
  outreachSendSlots: await deleteExpiredSendSlots(models, now),
});
