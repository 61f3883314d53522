/** Lead upserts (one lead per person per business) and the lead events they raise, recorded exactly once. */
import { createHash } from 'node:crypto';
import type { LeadFields, SpecialistKind, Urgency } from '../ai/types.js';
import type { Models } from '../db/models/index.js';

const URGENCY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, emergency: 3 };
const isUrgent = (u?: string | null) => (URGENCY_RANK[u ?? 'normal'] ?? 1) >= 2;

export const leadIdFor = (businessId: string, contactKey: string) =>
  `lead_${createHash('sha256').update(`${businessId}|${contactKey}`).digest('hex').slice(0, 24)}`;

export type LeadUpdate = {
  businessId: string;
  conversationId: string;
  channel: string;
  contactKey: string;
  fields: LeadFields;
  enquiryType?: string;
  urgency?: Urgency;
  specialist?: SpecialistKind;
  needsHuman?: boolean;
  at: Date;
};

const MAX_MERGE_HOPS = 8;

/**
 * The lead that holds this contact now: its own deterministic lead, or the one it was merged into. Only `_id`
 * lookups, which every MongoDB-wire backend serves from an index (FerretDB on SQLite serves nothing else).
 */
const currentLeadFor = async (models: Models, businessId: string, contactKey: string) => {
  let leadId = leadIdFor(businessId, contactKey);
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const lead = await models.Lead.findById(leadId).lean();
    if (!lead?.mergedInto) return { leadId, before: lead };
    leadId = lead.mergedInto;
  }
  throw new Error(`lead merge chain longer than ${MAX_MERGE_HOPS} for business ${businessId}`);
};

/** The events upsertLead can raise for a lead; their keys are deterministic, so they are found by `_id`. */
export const leadEventKeys = (leadId: string) => ['lead_created', 'lead_urgent', 'specialist_review'].map((kind) => `${kind}:${leadId}`);

/** Returns the lead id; raises lead_created / lead_urgent / specialist_review events when they first become true. */
export const upsertLead = async (models: Models, u: LeadUpdate): Promise<string> => {
  const { leadId, before } = await currentLeadFor(models, u.businessId, u.contactKey);

  const set: Record<string, unknown> = { lastMessageAt: u.at };
  for (const key of ['name', 'phone', 'email', 'enquiry'] as const) if (u.fields[key]) set[key] = u.fields[key];
  if (u.enquiryType && u.enquiryType !== 'other') set.enquiryType = u.enquiryType;
  // Urgency only ever rises by itself; lowering it is a human decision in the dashboard.
  if (u.urgency && (URGENCY_RANK[u.urgency] ?? 1) > (URGENCY_RANK[before?.urgency ?? 'low'] ?? 0)) set.urgency = u.urgency;
  if (u.specialist && u.specialist !== 'none') set.specialist = u.specialist;
  if (u.needsHuman) set.needsHuman = true;

  await models.Lead.updateOne(
    { _id: leadId },
    {
      $set: set,
      $setOnInsert: { businessId: u.businessId, channel: u.channel, status: 'new' },
      $addToSet: { contactKeys: u.contactKey, conversationIds: u.conversationId },
    },
    { upsert: true },
  );

  const events: string[] = [];
  if (!before) events.push('lead_created');
  if (!isUrgent(before?.urgency) && isUrgent((set.urgency as string | undefined) ?? before?.urgency)) events.push('lead_urgent');
  if ((!before || before.specialist === 'none') && u.specialist && u.specialist !== 'none') events.push('specialist_review');
  for (const kind of events) await recordLeadEvent(models, { businessId: u.businessId, leadId, conversationId: u.conversationId, kind, key: `${kind}:${leadId}`, urgency: (set.urgency as string | undefined) ?? before?.urgency ?? undefined });
  return leadId;
};

export const recordLeadEvent = async (
  models: Models,
  e: { businessId: string; leadId: string; conversationId?: string; kind: string; key: string; urgency?: string },
) => {
  // The key is the idempotency key: a retried activity finds the event already there.
  await models.LeadEvent.updateOne(
    { _id: e.key },
    { $setOnInsert: { businessId: e.businessId, leadId: e.leadId, conversationId: e.conversationId, kind: e.kind, urgency: e.urgency } },
    { upsert: true },
  );
};

/**
 * Which of these events exist and are not yet notified. Given the lead's deterministic event keys (plus any
 * recorded by this call), this survives a crash between recording and notifying: the retry finds them again.
 */
export const pendingLeadEventIds = async (models: Models, keys: string[]): Promise<string[]> => {
  const pending: string[] = [];
  for (const key of keys) {
    const event = await models.LeadEvent.findById(key, { notifiedAt: 1 }).lean();
    if (event && !event.notifiedAt) pending.push(key);
  }
  return pending;
};
