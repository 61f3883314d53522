/**
 * Merges a duplicate lead into another of the same business: contact keys and conversations are unioned,
 * empty fields filled, urgency keeps the higher; the duplicate stays, marked `mergedInto`, out of lists.
 * Steps are idempotent, so a merge interrupted part-way can simply be repeated.
 */
import { randomUUID } from 'node:crypto';
import { recordLeadEvent, URGENCY_RANK, type LeadRow } from '../../domain/leads.js';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { badRequest, conflict } from '../errors.js';
import { loadLead, type LeadActor } from './update.js';

const FILLABLE = ['name', 'phone', 'email', 'enquiry', 'notes', 'assignee'] as const;

const mergedFields = (target: LeadRow, source: LeadRow) => {
  const set: Record<string, unknown> = {};
  for (const key of FILLABLE) if (!target[key] && source[key]) set[key] = source[key];
  if ((URGENCY_RANK[source.urgency] ?? 1) > (URGENCY_RANK[target.urgency] ?? 1)) set.urgency = source.urgency;
  if (source.needsHuman && !target.needsHuman) set.needsHuman = true;
  if (target.specialist === 'none' && source.specialist !== 'none') set.specialist = source.specialist;
  if (target.enquiryType === 'general' && source.enquiryType !== 'general') set.enquiryType = source.enquiryType;
  return set;
};

export const mergeLeads = async (models: Models, q: { businessId: string; leadId: string; intoLeadId: string; actor: LeadActor }) => {
  if (q.leadId === q.intoLeadId) throw badRequest('body.intoLeadId: a lead cannot be merged into itself.');
  const source = await loadLead(models, q.businessId, q.leadId);
  const target = await loadLead(models, q.businessId, q.intoLeadId);
  if (source.mergedInto) throw conflict(`This lead was already merged into ${source.mergedInto}.`);
  if (target.mergedInto) throw conflict(`The target lead was merged into ${target.mergedInto}; merge into that lead instead.`);

  const set = mergedFields(target, source);
  const lastMessageAt = [target.lastMessageAt, source.lastMessageAt]
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (lastMessageAt) set.lastMessageAt = lastMessageAt;
  await models.Lead.updateOne(
    { _id: target._id, businessId: q.businessId },
    { $set: set, $addToSet: { contactKeys: { $each: source.contactKeys }, conversationIds: { $each: source.conversationIds } } },
  );
  // Only now is the duplicate hidden: new messages from its contacts already find the target by contact key.
  await models.Lead.updateOne(
    { _id: source._id, businessId: q.businessId, mergedInto: { $exists: false } },
    { $set: { mergedInto: target._id } },
  );
  await models.Conversation.updateMany({ businessId: q.businessId, leadId: source._id }, { $set: { leadId: target._id } });

  await recordLeadEvent(models, {
    businessId: q.businessId,
    leadId: target._id,
    conversationId: target.conversationIds.at(-1),
    kind: 'lead_merged',
    key: `lead_merged:${source._id}:${randomUUID()}`,
  });
  await writeAudit(models, {
    ...q.actor,
    businessId: q.businessId,
    action: 'lead.merged',
    target: target._id,
    details: { mergedLeadId: source._id },
  });
  return loadLead(models, q.businessId, target._id);
};
