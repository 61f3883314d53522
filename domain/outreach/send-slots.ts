/**
 * The rate cap of a campaign: a daily cap and a per-minute rate, held however many workflows ask at once. Each
 * send reserves one slot in its day bucket and one in its minute bucket with a conditional increment (atomic on
 * one document; FerretDB has no transactions), so two workflows can never both take the last slot. A workflow
 * told to wait sleeps until the next bucket opens and asks again.
 */
import type { Models } from '../../db/models/index.js';

export type SlotAnswer = { kind: 'reserved'; dayKey: string; minuteKey: string } | { kind: 'wait'; untilMs: number };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const isDuplicateKey = (err: unknown) => (err as { code?: unknown } | null)?.code === 11000;

const take = async (models: Models, id: string, cap: number, expiresAt: Date): Promise<boolean> => {
  // Create the bucket if absent (a racing creator wins harmlessly), then take a slot only while one is left.
  await models.OutreachSendSlot.updateOne({ _id: id }, { $setOnInsert: { count: 0, expiresAt } }, { upsert: true }).catch(
    (err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    },
  );
  const res = await models.OutreachSendSlot.updateOne({ _id: id, count: { $lt: cap } }, { $inc: { count: 1 } });
  return res.modifiedCount === 1;
};

export const reserveSendSlot = async (
  models: Models,
  r: { campaignId: string; dailyCap: number; perMinute: number; atMs: number },
): Promise<SlotAnswer> => {
  const dayStart = Math.floor(r.atMs / DAY_MS) * DAY_MS;
  const minute = Math.floor(r.atMs / MINUTE_MS);
  const dayKey = `${r.campaignId}:d:${new Date(dayStart).toISOString().slice(0, 10)}`;
  const minuteKey = `${r.campaignId}:m:${minute}`;
  if (!(await take(models, dayKey, r.dailyCap, new Date(dayStart + 2 * DAY_MS)))) return { kind: 'wait', untilMs: dayStart + DAY_MS };
  if (!(await take(models, minuteKey, r.perMinute, new Date(dayStart + 2 * DAY_MS)))) {
    await models.OutreachSendSlot.updateOne({ _id: dayKey }, { $inc: { count: -1 } });
    return { kind: 'wait', untilMs: (minute + 1) * MINUTE_MS };
  }
  return { kind: 'reserved', dayKey, minuteKey };
};

/** Gives a slot back (the send did not happen: suppressed, stopped), so the cap counts only real sends. */
export const releaseSendSlot = async (models: Models, slot: { dayKey: string; minuteKey: string }) => {
  await models.OutreachSendSlot.updateMany({ _id: { $in: [slot.dayKey, slot.minuteKey] }, count: { $gt: 0 } }, { $inc: { count: -1 } });
};

/** Buckets past their day: the retention sweep deletes them. */
export const deleteExpiredSendSlots = async (models: Models, now: Date) =>
  (await models.OutreachSendSlot.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
