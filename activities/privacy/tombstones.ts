/**
 * The tombstone step of deletion, objection and restriction requests: before anything is erased or restricted,
 * every identifier of the person that a new event or lead could arrive under is recorded as a keyed hash
 * (lib/privacy-tombstones.ts), so the webhook and the widget drop what would bring the data back.
 */
import { applyPrivacyRequestToOutreach } from '../../domain/outreach/suppression.js';
import { recordTombstones, type TombstoneMark, type TombstoneSubject } from '../../domain/privacy-tombstones.js';
import type { ConversationChannel } from '../../domain/conversation.js';
import { contactOfKey } from '../../domain/leads.js';
import type { PrivacySubject } from '../../domain/privacy-requests.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { businessScope } from './subject.js';

type TombstoneInput = {
  requestId: string;
  businessId?: string;
  subject: PrivacySubject;
  conversationIds: string[];
  leadIds: string[];
  mark: 'erased' | 'objection' | 'restriction';
};

/**
 * Identifiers per business: each thread's contact, each lead's contact keys, email and phone, and for a request
 * scoped to one business the identifiers it was given (a thread not stored yet). An unscoped request's own
 * identifiers name no business (a PSID belongs to one Page), so only what its records show is kept.
 */
const subjectsOf = async (deps: ActivityDeps, input: TombstoneInput): Promise<TombstoneSubject[]> => {
  const scope = businessScope(input.businessId);
  const [conversations, leads] = await Promise.all([
    input.conversationIds.length
      ? deps.models.Conversation.find({ ...scope, _id: { $in: input.conversationIds } }, { businessId: 1, channel: 1, contactId: 1 }).lean()
      : [],
    input.leadIds.length
      ? deps.models.Lead.find({ ...scope, _id: { $in: input.leadIds } }, { businessId: 1, contactKeys: 1, email: 1, phone: 1 }).lean()
      : [],
  ]);
  const subjects: TombstoneSubject[] = conversations.map((c) => ({
    kind: 'contact',
    businessId: c.businessId,
    channel: c.channel as ConversationChannel,
    contactId: c.contactId,
  }));
  for (const lead of leads) {
    for (const key of lead.contactKeys) {
      const contact = contactOfKey(key);
      if (contact) subjects.push({ kind: 'contact', businessId: lead.businessId, ...contact });
    }
    if (lead.email) subjects.push({ kind: 'email', businessId: lead.businessId, email: lead.email });
    if (lead.phone) subjects.push({ kind: 'phone', businessId: lead.businessId, phone: lead.phone });
  }
  const businessId = input.businessId;
  if (businessId) {
    for (const c of input.subject.contacts ?? []) subjects.push({ kind: 'contact', businessId, ...c });
    if (input.subject.email) subjects.push({ kind: 'email', businessId, email: input.subject.email });
    if (input.subject.phone) subjects.push({ kind: 'phone', businessId, phone: input.subject.phone });
  }
  return subjects;
};

export const createPrivacyTombstoneActivities = (deps: ActivityDeps) => ({
  /** Idempotent (upserts by hash); counts the distinct identifiers recorded, never who they are. */
  async recordPrivacyTombstones(input: TombstoneInput): Promise<{ counts: Record<string, number> }> {
    const at = nowOf(deps);
    const mark: TombstoneMark =
      input.mark === 'erased'
        ? { kind: 'erased', at, requestId: input.requestId }
        : { kind: 'restricted', reason: input.mark, at, requestId: input.requestId };
    const subjects = await subjectsOf(deps, input);
    const tombstones = await recordTombstones(deps.models, deps.keyRing, subjects, mark);
    if (input.mark === 'restriction') return { counts: { tombstones } };
    // An objection or a deletion also keeps LuxLeads' own B2B outreach away from the person's addresses.
    const emails = [
      ...subjects.flatMap((s) => (s.kind === 'email' ? [s.email] : [])),
      ...(input.subject.email ? [input.subject.email] : []),
    ];
    const outreach = await applyPrivacyRequestToOutreach(deps.models, deps.keyRing, { emails, isErasure: input.mark === 'erased' });
    return { counts: { tombstones, outreachSuppressed: outreach.suppressed, outreachProspectsErased: outreach.prospectsErased } };
  },
});
