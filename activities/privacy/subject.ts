/**
 * Finds every record held about one person, across businesses unless scoped: leads by email, phone,
 * contact key or id; conversations by PSID/IGSID/widget session; and, for a Facebook Login user, their
 * Messenger threads through Graph's ids_for_pages. Meta maps an app-scoped id to Page-scoped ids only, never to
 * Instagram-scoped ids, so Instagram threads are reached through what we hold: leads whose contact keys join
 * both channels (a merge), the threads of a found lead, and leads sharing a found lead's email address.
 * Links are followed until nothing new turns up, so a person who wrote on three channels is found whole.
 */
import { normaliseEmail } from '../../ai/extract.js';
import type { Models } from '../../db/models/index.js';
import { GraphError } from '../../integrations/graph-errors.js';
import type { ConversationChannel } from '../../domain/conversation.js';
import { contactKeyOf, contactOfKey } from '../../domain/leads.js';
import type { PrivacySubject, SubjectContact, SubjectRecords } from '../../domain/privacy-requests.js';
import type { ActivityDeps } from '../deps.js';

/** The forms a phone number may be stored in: as typed, and digits with a leading +. */
const phoneForms = (raw: string) => {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  return [...new Set([trimmed, `+${digits}`, trimmed.startsWith('00') ? `+${digits.slice(2)}` : trimmed])];
};
const emailForms = (raw: string) => [...new Set([normaliseEmail(raw) ?? raw.trim(), raw.trim()])];

/** 100 ids an answer: enough for anyone; a bound so a looping cursor cannot hold the step forever. */
const MAX_ID_PAGES = 50;
/** Each round follows one more link (thread → lead → email → lead → thread …); chains this long do not occur. */
const MAX_ROUNDS = 6;

/**
 * Every Page-scoped id of this Facebook user on the Pages of our app's business, following Graph's paging. Each is
 * a Messenger contact: PSIDs are unique per Page, so the answer's page id is not needed to find the thread.
 */
const psidsOf = async (deps: ActivityDeps, asid: string): Promise<SubjectContact[]> => {
  const token = deps.privacy.metaAppToken;
  if (!token) return [];
  const found: SubjectContact[] = [];
  try {
    let after: string | undefined;
    for (let page = 0; page < MAX_ID_PAGES; page++) {
      const res = await deps.graph.idsForPages(asid, token, after);
      for (const d of res.data) found.push({ channel: 'messenger', contactId: d.id });
      after = res.paging?.next ? res.paging.cursors?.after : undefined;
      if (!after) break;
    }
    return found;
  } catch (err) {
    if (err instanceof GraphError && !err.isRetryable) {
      deps.log.warn({ kind: err.kind, code: err.code }, 'ids_for_pages refused; deleting by ASID only');
      return found;
    }
    throw err; // transient: the step's retry policy waits it out
  }
};

export const resolveSubject = async (deps: ActivityDeps, subject: PrivacySubject, businessId?: string): Promise<SubjectRecords> => {
  const { models } = deps;
  const scope = businessScope(businessId);
  const contacts = new Map<string, SubjectContact>();
  for (const c of [...(subject.contacts ?? []), ...(subject.asid ? await psidsOf(deps, subject.asid) : [])])
    contacts.set(contactKeyOf(c), c);
  // Ids from the request are search terms only: a lead id joins the result once the business-scoped lookup
  // returned it, so a body naming another business's lead finds nothing.
  const askedLeadIds = [...new Set(subject.leadIds ?? [])];
  const leadIds = new Set<string>();
  const conversationIds = new Set<string>();

  // A found lead's email names the same person: leads holding it (e.g. their Instagram lead, never merged) are theirs.
  // Phone numbers are not followed: they are often shared (a household, a business line).
  const emails = new Set(subject.email ? emailForms(subject.email) : []);
  const phones = subject.phone ? phoneForms(subject.phone) : [];

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = contacts.size + leadIds.size + conversationIds.size + emails.size;
    const keys = [...contacts.keys()];
    const leadOr = [
      ...(emails.size ? [{ email: { $in: [...emails] } }] : []),
      ...(phones.length ? [{ phone: { $in: phones } }] : []),
      ...(keys.length ? [{ contactKeys: { $in: keys } }] : []),
      ...(askedLeadIds.length || leadIds.size ? [{ _id: { $in: [...askedLeadIds, ...leadIds] } }] : []),
    ];
    const leads = leadOr.length
      ? await models.Lead.find({ ...scope, $or: leadOr }, { contactKeys: 1, conversationIds: 1, email: 1 }).lean()
      : [];
    for (const lead of leads) {
      leadIds.add(lead._id);
      for (const id of lead.conversationIds) conversationIds.add(id);
      for (const k of lead.contactKeys) {
        const c = contactOfKey(k);
        if (c) contacts.set(k, c);
      }
      if (lead.email) for (const e of emailForms(lead.email)) emails.add(e);
    }
    const convOr = [
      ...[...contacts.values()].map((c) => ({ channel: c.channel, contactId: c.contactId })),
      ...(conversationIds.size ? [{ _id: { $in: [...conversationIds] } }] : []),
    ];
    const conversations = convOr.length
      ? await models.Conversation.find({ ...scope, $or: convOr }, { leadId: 1, channel: 1, contactId: 1 }).lean()
      : [];
    for (const conv of conversations) {
      conversationIds.add(conv._id);
      if (conv.leadId) leadIds.add(conv.leadId);
      contacts.set(contactKeyOf({ channel: conv.channel as ConversationChannel, contactId: conv.contactId }), {
        channel: conv.channel as ConversationChannel,
        contactId: conv.contactId,
      });
    }
    if (contacts.size + leadIds.size + conversationIds.size + emails.size === before) break;
  }

  const convList = [...conversationIds];
  const leadList = [...leadIds];
  return {
    conversationIds: convList,
    leadIds: leadList,
    counts: {
      contacts: contacts.size,
      conversations: await models.Conversation.countDocuments({ ...scope, _id: { $in: convList } }),
      messages: await models.Message.countDocuments({ ...scope, conversationId: { $in: convList } }),
      leads: await models.Lead.countDocuments({ ...scope, _id: { $in: leadList } }),
      leadEvents: await countLeadEvents(models, leadList, convList, businessId),
    },
  };
};

/** `{ businessId }` when a request is scoped to one business, else nothing: every privacy read and write spreads it. */
export const businessScope = (businessId?: string) => (businessId ? { businessId } : {});

export const leadEventFilter = (leadIds: string[], conversationIds: string[], businessId?: string) => ({
  ...businessScope(businessId),
  $or: [{ leadId: { $in: leadIds } }, { conversationId: { $in: conversationIds } }],
});
const countLeadEvents = (models: Models, leadIds: string[], conversationIds: string[], businessId?: string) =>
  models.LeadEvent.countDocuments(leadEventFilter(leadIds, conversationIds, businessId));

export const createPrivacySubjectActivities = (deps: ActivityDeps) => ({
  async findSubjectRecords(input: { requestId: string; businessId?: string; subject: PrivacySubject }): Promise<SubjectRecords> {
    return resolveSubject(deps, input.subject, input.businessId);
  },
});
