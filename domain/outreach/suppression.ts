/**
 * The outreach suppression list: one row per address or domain, named by a keyed hash and holding nothing else
 * personal, so it can be kept for ever and an opted-out address is never written to again, whatever campaign or
 * import brings it back. Checked immediately before every send.
 */
import type { Models } from '../../db/models/index.js';
import { allHashes, hashFor } from '../../lib/keyed-hash.js';
import type { KeyRing } from '../../lib/key-ring.js';

export type SuppressionKind = 'email' | 'domain';
export type SuppressionReason = 'opt-out' | 'bounce' | 'complaint' | 'staff' | 'objection';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const emailDomainOf = (email: string) => normalizeEmail(email).slice(normalizeEmail(email).lastIndexOf('@') + 1);
export const normalizeDomain = (domain: string) => domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');

const valueOf = (kind: SuppressionKind, value: string) => `${kind}:${kind === 'email' ? normalizeEmail(value) : normalizeDomain(value)}`;

/** The hash that names an address (or domain) under the current key: the id of new rows, and a prospect's emailHash. */
export const addressHash = (ring: KeyRing, kind: SuppressionKind, value: string) =>
  hashFor(ring, 'outreach-suppression', valueOf(kind, value));

/** Every ring key's hash, current first: what a lookup tries, so rows written under an older key are still found. */
export const addressHashes = (ring: KeyRing, kind: SuppressionKind, value: string) =>
  allHashes(ring, 'outreach-suppression', valueOf(kind, value)).map((h) => h.hex);

/** Whether the address or its domain is suppressed, and by which. */
export const suppressionOf = async (models: Models, ring: KeyRing, email: string): Promise<SuppressionKind | undefined> => {
  const ids = [...addressHashes(ring, 'email', email), ...addressHashes(ring, 'domain', emailDomainOf(email))];
  const row = await models.OutreachSuppression.findOne({ _id: { $in: ids } }, { kind: 1 }).lean();
  return row?.kind as SuppressionKind | undefined;
};

/** Adds the address or domain; idempotent (the first reason stays). */
export const suppress = async (
  models: Models,
  ring: KeyRing,
  s: { kind: SuppressionKind; value: string; reason: SuppressionReason; addedBy?: string },
) => {
  const existing = await models.OutreachSuppression.findOne({ _id: { $in: addressHashes(ring, s.kind, s.value) } }, { _id: 1 }).lean();
  if (existing) return { id: existing._id, isNew: false };
  const { keyId, hex } = addressHash(ring, s.kind, s.value);
  const res = await models.OutreachSuppression.updateOne(
    { _id: hex },
    { $setOnInsert: { keyId, kind: s.kind, reason: s.reason, ...(s.addedBy ? { addedBy: s.addedBy } : {}) } },
    { upsert: true },
  );
  return { id: hex, isNew: res.upsertedCount === 1 };
};

/**
 * A privacy request reaches outreach too (policy §11: a rights request can add a suppression): an objection or a
 * deletion suppresses each of the person's addresses for every campaign, and a deletion also removes them as a
 * prospect (with their enrollments' sends). Their running OutreachWorkflows stop at the next send: the suppression
 * and the prospect are checked immediately before it.
 */
export const applyPrivacyRequestToOutreach = async (
  models: Models,
  ring: KeyRing,
  input: { emails: string[]; isErasure: boolean },
): Promise<{ suppressed: number; prospectsErased: number }> => {
  let suppressed = 0;
  let prospectsErased = 0;
  for (const email of new Set(input.emails.map(normalizeEmail))) {
    if ((await suppress(models, ring, { kind: 'email', value: email, reason: 'objection' })).isNew) suppressed++;
    if (!input.isErasure) continue;
    const prospects = await models.OutreachProspect.find({ emailHash: { $in: addressHashes(ring, 'email', email) } }, { _id: 1 }).lean();
    const ids = prospects.map((p) => p._id);
    if (ids.length === 0) continue;
    await models.OutreachSend.deleteMany({ prospectId: { $in: ids } });
    await models.OutreachEnrollment.updateMany(
      { prospectId: { $in: ids }, status: 'active' },
      { $set: { status: 'stopped', stopReason: 'gone' } },
    );
    prospectsErased += (await models.OutreachProspect.deleteMany({ _id: { $in: ids } })).deletedCount;
  }
  return { suppressed, prospectsErased };
};
