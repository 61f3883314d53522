import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyTombstoneActivities } from '../../../activities/privacy/tombstones.js';
import { addressHash, suppressionOf } from '../../../domain/outreach/suppression.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

describe('the tombstone step of a privacy request reaches outreach (policy §11)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('privacy-tombstones-outreach', { startWorker: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const prospect = async (email: string) => {
    const id = `prs_${randomUUID().slice(0, 8)}`;
    await h.models.OutreachProspect.create({
      _id: id,
      company: 'Acme Dental',
      email,
      emailHash: addressHash(h.config.ENCRYPTION_KEY, 'email', email).hex,
      source: 'test',
      lawfulBasis: 'legitimate interest',
    });
    return id;
  };
  const step = (mark: 'erased' | 'objection' | 'restriction', email: string) =>
    createPrivacyTombstoneActivities(h.activityDeps).recordPrivacyTombstones({
      requestId: `req_${randomUUID()}`,
      subject: { email },
      conversationIds: [],
      leadIds: [],
      mark,
    });

  it('an objection suppresses the address for every campaign; a restriction does not', async () => {
    const objecting = `objects-${randomUUID().slice(0, 6)}@acme.example`;
    const restricting = `restricts-${randomUUID().slice(0, 6)}@acme.example`;
    const kept = await prospect(objecting);
    expect((await step('objection', objecting)).counts).toMatchObject({ outreachSuppressed: 1, outreachProspectsErased: 0 });
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, objecting)).toBe('email');
    expect(await h.models.OutreachProspect.exists({ _id: kept })).toBeTruthy();
    await step('restriction', restricting);
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, restricting)).toBeUndefined();
  });

  it('a deletion erases the prospect and keeps only the hashed suppression, so no campaign writes again', async () => {
    const email = `deletes-${randomUUID().slice(0, 6)}@acme.example`;
    const id = await prospect(email);
    expect((await step('erased', email)).counts).toMatchObject({ outreachSuppressed: 1, outreachProspectsErased: 1 });
    expect(await h.models.OutreachProspect.exists({ _id: id })).toBeNull();
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, email)).toBe('email');
    const rows = await h.models.OutreachSuppression.find({}).lean();
    expect(JSON.stringify(rows)).not.toContain(email);
    // A retried step changes nothing more.
    expect((await step('erased', email)).counts).toMatchObject({ outreachSuppressed: 0, outreachProspectsErased: 0 });
  });
});
