import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { prospectDoc } from '../../../domain/outreach/import.js';
import { suppress, suppressionOf } from '../../../domain/outreach/suppression.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { DAY_MS } from '../../../lib/durations.js';

describe('outreach retention in the records sweep', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('outreach-retention', { startWorker: false, env: { OUTREACH_PROSPECT_RETENTION_DAYS: '365' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('deletes prospects who never engaged after the period, keeps engaged ones, running ones and every suppression', async () => {
    const ring = h.config.ENCRYPTION_KEY;
    const add = async (email: string, extra: Record<string, unknown> = {}) => {
      const doc = { ...prospectDoc(ring, { company: 'Co', email, source: 'test' }), ...extra };
      await h.models.OutreachProspect.create(doc);
      return doc._id;
    };
    const silent = await add('silent@old.example');
    const engaged = await add('engaged@old.example', { engagedAt: new Date() });
    const running = await add('running@old.example');
    const fresh = await add('fresh@new.example');
    await h.models.OutreachEnrollment.create({
      _id: `outreach:cmp_r:${running}`,
      campaignId: 'cmp_r',
      prospectId: running,
      status: 'active',
    });
    await h.models.OutreachEnrollment.create({
      _id: `outreach:cmp_r:${silent}`,
      campaignId: 'cmp_r',
      prospectId: silent,
      status: 'completed',
    });
    await h.models.OutreachSend.create({
      _id: `outreach:cmp_r:${silent}:0`,
      campaignId: 'cmp_r',
      prospectId: silent,
      step: 0,
      sentAt: new Date(),
    });
    await suppress(h.models, ring, { kind: 'email', value: 'silent@old.example', reason: 'opt-out' });
    // Only `fresh` was added recently: the others are backdated past the 365 days.
    await h.models.OutreachProspect.collection.updateMany(
      { _id: { $in: [silent, engaged, running] } as never },
      { $set: { createdAt: new Date(Date.now() - 400 * DAY_MS) } },
    );

    const counts = await createActivities(h.activityDeps).sweepExpiredRecords({ sweepKey: 'outreach-retention' });
    expect(counts.outreachProspects).toBe(1);
    const left = (await h.models.OutreachProspect.find({}, { _id: 1 }).lean()).map((p) => p._id).sort();
    expect(left).toEqual([engaged, running, fresh].sort());
    expect(await h.models.OutreachSend.countDocuments({ prospectId: silent })).toBe(0);
    expect(await h.models.OutreachEnrollment.countDocuments({ prospectId: silent })).toBe(0);
    // The opted-out address stays suppressed (hashed) after its prospect is gone.
    expect(await suppressionOf(h.models, ring, 'silent@old.example')).toBe('email');
  });
});
