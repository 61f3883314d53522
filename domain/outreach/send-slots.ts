/**
 * The rate cap of a campaign: a daily cap and a per-minute rate, held however many workflows ask at once. A slot
 * is a document `<bucket>:<n>` with n below the cap, taken by inserting it: the unique _id lets only one insert
 * win. (A conditional `$inc` on a counter is not enough on FerretDB v1: under 1,000 concurrent reservations it let
 * hundreds through, see test/integration/workflows/outreach.test.ts.) A workflow told to wait sleeps until the
 * next bucket opens and asks again.
 */
import type { Models } from '../../db/models/index.js';
import { MINUTE_MS, DAY_MS } from '../../lib/durations.js';

export type SendSlot = { dayId: string; minuteId: string };
export type SlotAnswer = ({ kind: 'reserved' } & SendSlot) | { kind: 'wait'; untilMs: number };

const isDuplicateKey = (err: unknown) => (err as { code?: unknown } | null)?.code === 11000;

/** The id of the slot taken in `bucket`, or undefined when all `cap` are taken. */
const take = async (models: Models, bucket: string, cap: number, expiresAt: Date): Promise<string | undefined> => {
  // Probe a random free-looking slot above the count: racing callers rarely pick the same one, and each learns
  // the bucket is full from one count once it is (1,000 callers for 10 slots must not each try all 10).
  for (let attempt = 0; attempt < 4 * cap; attempt++) {
    const taken = await models.OutreachSendSlot.countDocuments({ bucket });
    if (taken >= cap) return undefined;
    const n = taken + Math.floor(Math.random() * (cap - taken));
    try {
      await models.OutreachSendSlot.create({ _id: `${bucket}:${n}`, bucket, expiresAt });
      return `${bucket}:${n}`;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return undefined;
};

export const reserveSendSlot = async (
  models: Models,
  r: { campaignId: string; dailyCap: number; perMinute: number; atMs: number },
): Promise<SlotAnswer> => {
  const dayStart = Math.floor(r.atMs / DAY_MS) * DAY_MS;
  const minute = Math.floor(r.atMs / MINUTE_MS);
  const expiresAt = new Date(dayStart + 2 * DAY_MS);
  // The minute first: most refusals happen there, before the day bucket is touched.
  const minuteId = await take(models, `${r.campaignId}:m:${minute}`, r.perMinute, expiresAt);
  if (!minuteId) return { kind: 'wait', untilMs: (minute + 1) * MINUTE_MS };
  const dayId = await take(models, `${r.campaignId}:d:${new Date(dayStart).toISOString().slice(0, 10)}`, r.dailyCap, expiresAt);
  if (!dayId) {
    await models.OutreachSendSlot.deleteOne({ _id: minuteId });
    return { kind: 'wait', untilMs: dayStart + DAY_MS };
  }
  return { kind: 'reserved', dayId, minuteId };
};

/** Gives a slot back (the provider refused the email), so the cap counts only real sends. */
export const releaseSendSlot = async (models: Models, slot: SendSlot) => {
  await models.OutreachSendSlot.deleteMany({ _id: { $in: [slot.dayId, slot.minuteId] } });
};

/** Slots past their day: the retention sweep deletes them. */
export const deleteExpiredSendSlots = async (models: Models, now: Date) =>
  (await models.OutreachSendSlot.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
