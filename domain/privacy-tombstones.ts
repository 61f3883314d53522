/**
 * Tombstones make erasure and objection last. Erasure removes every record of a person, so without a trace a
 * Meta redelivery or a widget retry would start the thread and the lead again; an objection lives on the
 * thread, which the 90-day purge removes. Rows are keyed hashes (every ring key is tried on lookup) and say
 * only when the person was erased or objected.
 */
import type { Models } from '../db/models/index.js';
import type { ConversationChannel } from './conversation.js';
import type { KeyRing } from '../lib/crypto.js';
import { allHashes, hashFor } from '../lib/keyed-hash.js';

export type TombstoneSubject =
  | { kind: 'contact'; businessId: string; channel: ConversationChannel; contactId: string }
  | { kind: 'email'; businessId: string; email: string }
  | { kind: 'phone'; businessId: string; phone: string };

export type TombstoneMark = { at: Date; requestId: string } & (
  { kind: 'erased' } | { kind: 'restricted'; reason: 'objection' | 'restriction' }
);

export type Tombstone = { erasedAt?: Date; restrictedAt?: Date };

/** Why an event is dropped: an erased person's event from before the erasure, or anything from a person who objected. */
export type TombstoneVerdict = 'erased' | 'restricted';

const materialOf = (s: TombstoneSubject) => {
  if (s.kind === 'contact') return `contact|${s.businessId}|${s.channel}|${s.contactId}`;
  if (s.kind === 'email') return `email|${s.businessId}|${s.email.trim().toLowerCase()}`;
  return `phone|${s.businessId}|${s.phone.replace(/[^\d]/g, '')}`;
};

/** Writes (or extends) one tombstone per subject under the current key; idempotent, so a retried step adds nothing. */
export const recordTombstones = async (models: Models, ring: KeyRing, subjects: TombstoneSubject[], mark: TombstoneMark) => {
  const seen = new Set<string>();
  for (const s of subjects) {
    const material = materialOf(s);
    // An identifier with nothing left after normalising (a phone field with no digits) names nobody.
    if (seen.has(material) || material.endsWith('|')) continue;
    seen.add(material);
    const { keyId, hex } = hashFor(ring, 'tombstone', material);
    const update =
      mark.kind === 'erased' ? { $max: { erasedAt: mark.at } } : { $min: { restrictedAt: mark.at }, $set: { restriction: mark.reason } };
    await models.PrivacyTombstone.updateOne(
      { _id: hex },
      { ...update, $setOnInsert: { keyId, kind: s.kind }, $addToSet: { requestIds: mark.requestId } },
      { upsert: true },
    );
  }
  return seen.size;
};

/**
 * The tombstone of one subject under any ring key (one `_id` read per key: FerretDB serves only `_id`
 * equality from an index, `$in` scans), merged when rotation left one row per key.
 */
export const findTombstone = async (models: Models, ring: KeyRing, s: TombstoneSubject): Promise<Tombstone | null> => {
  const hashes = allHashes(ring, 'tombstone', materialOf(s));
  const rows = await Promise.all(
    hashes.map((h) => models.PrivacyTombstone.findById(h.hex, { erasedAt: 1, restrictedAt: 1, restriction: 1 }).lean()),
  );
  const found = rows.filter((r) => r !== null);
  if (found.length === 0) return null;
  const times = (pick: (r: (typeof found)[number]) => Date | null | undefined) =>
    found
      .map(pick)
      .filter((d): d is Date => d instanceof Date)
      .map((d) => d.getTime());
  const erased = times((r) => r.erasedAt);
  const restricted = times((r) => r.restrictedAt);
  const merged: Tombstone = {
    ...(erased.length ? { erasedAt: new Date(Math.max(...erased)) } : {}),
    ...(restricted.length ? { restrictedAt: new Date(Math.min(...restricted)) } : {}),
  };
  // Found only under an older key: copied under the current one, so it survives that key leaving the ring.
  if (!rows[0] && hashes[0])
    await carryForward(models, hashes[0], s.kind, merged, found.find((r) => r.restriction)?.restriction ?? undefined);
  return merged;
};

const carryForward = async (
  models: Models,
  current: { keyId: string; hex: string },
  kind: TombstoneSubject['kind'],
  t: Tombstone,
  restriction?: string,
) => {
  await models.PrivacyTombstone.updateOne(
    { _id: current.hex },
    {
      $setOnInsert: { keyId: current.keyId, kind },
      ...(t.erasedAt ? { $max: { erasedAt: t.erasedAt } } : {}),
      ...(t.restrictedAt ? { $min: { restrictedAt: t.restrictedAt }, $set: { restriction: restriction ?? 'objection' } } : {}),
    },
    { upsert: true },
  );
};

/**
 * Whether an inbound event must be dropped. After an objection or restriction: everything. After an erasure:
 * Meta events sent up to it (a redelivery keeps its original timestamp), so a person who writes again later
 * starts afresh; a widget session ends for good, because its retries carry no original time.
 */
export const tombstoneVerdict = (t: Tombstone | null, channel: ConversationChannel, at: number): TombstoneVerdict | undefined => {
  if (!t) return undefined;
  if (t.restrictedAt) return 'restricted';
  if (t.erasedAt && (channel === 'web' || at <= t.erasedAt.getTime())) return 'erased';
  return undefined;
};
