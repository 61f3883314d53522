/**
 * Dashboard edits of a lead: status, notes, assignee. Each edit leaves an audit entry and a lead event
 * (`lead_status_changed` / `lead_updated`) with a unique key, for CRM webhooks to pick up.
 */
import { randomUUID } from 'node:crypto';
import { recordLeadEvent, type LeadRow } from '../../domain/leads.js';
import type { Models } from '../../db/models/index.js';
import { writeAudit, type AuditInput } from '../../domain/audit.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { LeadPatch } from './schemas.js';

export type LeadActor = Pick<AuditInput, 'actorType' | 'actorId' | 'actorRole'>;

export const loadLead = async (models: Models, businessId: string, leadId: string) => {
  const lead = (await models.Lead.findOne({ _id: leadId, businessId }).lean()) as LeadRow | null;
  if (!lead) throw notFound('lead');
  return lead;
};

export type LeadEventRecorded = (event: { _id: string; businessId: string; kind: string }) => Promise<unknown>;

export const updateLead = async (
  models: Models,
  q: { businessId: string; leadId: string; patch: LeadPatch; actor: LeadActor; onEvent?: LeadEventRecorded },
) => {
  const { patch } = q;
  if (typeof patch.assignee === 'string' && !(await models.Membership.exists({ userId: patch.assignee, businessId: q.businessId }))) {
    throw badRequest('body.assignee: is not a member of this business; use the user id of one of its members.');
  }
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  if (patch.status !== undefined) set.status = patch.status;
  for (const key of ['notes', 'assignee'] as const) {
    if (patch[key] === null) unset[key] = 1;
    else if (patch[key] !== undefined) set[key] = patch[key];
  }
  const before = (await models.Lead.findOneAndUpdate(
    { _id: q.leadId, businessId: q.businessId, mergedInto: { $exists: false } },
    { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    { returnDocument: 'before' },
  ).lean()) as LeadRow | null;
  if (!before) {
    const lead = await loadLead(models, q.businessId, q.leadId);
    throw conflict(`This lead was merged into ${lead.mergedInto}; edit that lead instead.`);
  }

  const statusChanged = patch.status !== undefined && patch.status !== before.status;
  const otherFields = (['notes', 'assignee'] as const).filter((k) => patch[k] !== undefined);
  const base = { businessId: q.businessId, leadId: q.leadId, conversationId: before.conversationIds.at(-1) };
  const events = [
    ...(statusChanged ? [{ kind: 'lead_status_changed', key: `lead_status_changed:${q.leadId}:${randomUUID()}` }] : []),
    ...(otherFields.length ? [{ kind: 'lead_updated', key: `lead_updated:${q.leadId}:${randomUUID()}` }] : []),
  ];
  for (const e of events) {
    await recordLeadEvent(models, { ...base, ...e });
    await q.onEvent?.({ _id: e.key, businessId: q.businessId, kind: e.kind });
  }
  await writeAudit(models, {
    ...q.actor,
    businessId: q.businessId,
    action: 'lead.updated',
    target: q.leadId,
    // Field names and statuses only: notes may hold personal data.
    details: { fields: Object.keys(patch).join(','), ...(statusChanged ? { statusFrom: before.status, statusTo: patch.status! } : {}) },
  });
  return loadLead(models, q.businessId, q.leadId);
};
