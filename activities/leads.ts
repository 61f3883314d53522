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

/** Returns the lead id; raises lead_created / lead_urgent / specialist_review events when they first become true. */
export const upsertLead = async (models: Models, u: LeadUpdate): Promise<string> => {
  const existingByContact = await models.Lead.findOne({ businessId: u.businessId, contactKeys: u.contactKey, mergedInto: { $exists: false } });
  const leadId = existingByContact?._id ?? leadIdFor(u.businessId, u.contactKey);
  const before = existingByContact ?? (await models.Lead.findById(leadId));

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

/** Every event of this lead not yet notified: survives a crash between recording and notifying. */
export const pendingLeadEventIds = async (models: Models, leadId: string): Promise<string[]> => {
  const rows = await models.LeadEvent.find({ leadId, notifiedAt: { $exists: false } }, { _id: 1 }).sort({ createdAt: 1 }).lean();
  return rows.map((r) => r._id);
};
