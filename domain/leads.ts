/** Lead upserts (one lead per person per business) and the lead events they raise, recorded exactly once. */
import type { LeadFields, SpecialistKind, Urgency } from '../ai/types.js';
import type { Models } from '../db/models/index.js';
import type { KeyRing } from '../lib/crypto.js';
import { allHashes, hashFor } from '../lib/keyed-hash.js';
import type { ConversationChannel } from './conversation.js';

type Maybe<T> = T | null | undefined;

/** A `leads` row as read back (lean): one person's lead within one business. */
export type LeadRow = {
  _id: string;
  businessId: string;
  status: 'new' | 'contacted' | 'qualified' | 'booked' | 'won' | 'lost';
  channel: string;
  name?: Maybe<string>;
  phone?: Maybe<string>;
  email?: Maybe<string>;
  enquiry?: Maybe<string>;
  enquiryType: string;
  urgency: 'low' | 'normal' | 'high' | 'emergency';
  specialist: string;
  needsHuman: boolean;
  notes?: Maybe<string>;
  assignee?: Maybe<string>;
  contactKeys: string[];
  conversationIds: string[];
  mergedInto?: Maybe<string>;
  createdAt?: Maybe<Date>;
  updatedAt?: Maybe<Date>;
  lastMessageAt?: Maybe<Date>;
};

/** Urgencies in rising order: automatic updates only raise a lead's urgency, a merge keeps the higher one. */
export const URGENCY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, emergency: 3 };
const isUrgent = (u?: string | null) => (URGENCY_RANK[u ?? 'normal'] ?? 1) >= 2;

const CHANNELS: readonly string[] = ['messenger', 'instagram', 'web'] satisfies ConversationChannel[];

/** How a lead names one of its contacts (`contactKeys`): `messenger:<PSID>`, `instagram:<IGSID>`, `web:<session>`. */
export const contactKeyOf = (c: { channel: string; contactId: string }) => `${c.channel}:${c.contactId}`;

/** The contact a `contactKeys` entry names; undefined for a key of no known channel. */
export const contactOfKey = (key: string): { channel: ConversationChannel; contactId: string } | undefined => {
  const sep = key.indexOf(':');
  const channel = key.slice(0, sep);
  return sep > 0 && CHANNELS.includes(channel) ? { channel: channel as ConversationChannel, contactId: key.slice(sep + 1) } : undefined;
};

/**
 * A contact's own lead id under each ring key, current first: a keyed hash, so the id does not reveal the PSID.
 * A lead made under an older key keeps its id after rotation; currentLeadFor tries every key's form.
 */
export const leadIdsFor = (ring: KeyRing, businessId: string, contactKey: string) =>
  allHashes(ring, 'lead-id', `${businessId}|${contactKey}`, 24).map((h) => `lead_${h.hex}`);

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

const firstExisting = async (models: Models, ids: string[]) => {
  for (const id of ids) if (await models.Lead.exists({ _id: id })) return id;
  return undefined;
};

/**
 * The lead that holds this contact now: its own deterministic lead, or the one it was merged into. Only `_id`
 * lookups, which every MongoDB-wire backend serves from an index (FerretDB on SQLite serves nothing else).
 */
const currentLeadFor = async (models: Models, ring: KeyRing, businessId: string, contactKey: string) => {
  const ids = leadIdsFor(ring, businessId, contactKey);
  let leadId = ids[0]!;
  // While an older key is in the ring: a lead it named keeps that id (looked for only when the current id is absent).
  if (ids.length > 1 && !(await models.Lead.exists({ _id: leadId }))) leadId = (await firstExisting(models, ids.slice(1))) ?? leadId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const lead = await models.Lead.findById(leadId).lean();
    if (!lead?.mergedInto) return { leadId, before: lead };
    leadId = lead.mergedInto;
  }
  throw new Error(`lead merge chain longer than ${MAX_MERGE_HOPS} for business ${businessId}`);
};

/**
 * The events upsertLead may have raised for a lead in this state; their keys are deterministic, so they are found by
 * `_id`. lead_urgent and specialist_review exist only once the lead became urgent or a specialist case, so an ordinary
 * lead costs one read after each reply instead of three. (A lead whose urgency a person lowered in the dashboard is no
 * longer checked for a still-unsent urgent alert: the person has seen the lead, and the retry sweep still sends it.)
 */
export const possibleLeadEventKeys = (leadId: string, lead: { urgency?: string | null; specialist?: string | null }) => [
  `lead_created:${leadId}`,
  ...(isUrgent(lead.urgency) ? [`lead_urgent:${leadId}`] : []),
  ...(lead.specialist && lead.specialist !== 'none' ? [`specialist_review:${leadId}`] : []),
];

const CONTACT_FIELDS = ['name', 'phone', 'email', 'enquiry'] as const;

/**
 * The lead_updated event for a name, phone or email the conversation added to or changed on an existing lead (CRM webhooks
 * hear about them as lead.updated). Its key hashes the new values, so a retry with the same details meets its own
 * event; it is recorded before the lead changes, so a crash between the two still finds the change on retry.
 */
const contactUpdateKey = (
  ring: KeyRing,
  leadId: string,
  before: { [k in (typeof CONTACT_FIELDS)[number]]?: string | null } | null,
  fields: LeadFields,
) => {
  if (!before) return undefined; // a new lead raises lead_created instead
  // Name, phone and email only: the enquiry summary is reworded on most messages and would raise an event each time.
  const changed = (['name', 'phone', 'email'] as const).filter((k) => fields[k] && fields[k] !== before[k]).map((k) => `${k}=${fields[k]}`);
  if (changed.length === 0) return undefined;
  // Keyed: the key holds a hash of an email or phone number, which plain SHA-256 would let anyone enumerate.
  return `lead_updated:${leadId}:${hashFor(ring, 'lead-event', changed.join('\n'), 16).hex}`;
};

/**
 * Upserts the lead; raises lead_created / lead_urgent / specialist_review when they first become true and
 * lead_updated when the conversation adds contact details. `eventKeys`: the keys to check for pending notifications
 * (possibleLeadEventKeys, plus this call's lead_updated, or the last one if a retry finds the lead already changed).
 */
export const upsertLead = async (models: Models, ring: KeyRing, u: LeadUpdate): Promise<{ leadId: string; eventKeys: string[] }> => {
  const { leadId, before } = await currentLeadFor(models, ring, u.businessId, u.contactKey);
  const updateKey = contactUpdateKey(ring, leadId, before, u.fields);
  if (updateKey)
    await recordLeadEvent(models, {
      businessId: u.businessId,
      leadId,
      conversationId: u.conversationId,
      kind: 'lead_updated',
      key: updateKey,
    });

  const set: Record<string, unknown> = { lastMessageAt: u.at, ...(updateKey ? { lastUpdateEventKey: updateKey } : {}) };
  for (const key of CONTACT_FIELDS) if (u.fields[key]) set[key] = u.fields[key];
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

  // The lead as this write leaves it: what its events and the keys to check for pending alerts follow from.
  const after = {
    urgency: (set.urgency as string | undefined) ?? before?.urgency ?? undefined,
    specialist: (set.specialist as string | undefined) ?? before?.specialist ?? undefined,
  };
  const events: string[] = [];
  if (!before) events.push('lead_created');
  if (!isUrgent(before?.urgency) && isUrgent(after.urgency)) events.push('lead_urgent');
  if ((!before || before.specialist === 'none') && u.specialist && u.specialist !== 'none') events.push('specialist_review');
  for (const kind of events)
    await recordLeadEvent(models, {
      businessId: u.businessId,
      leadId,
      conversationId: u.conversationId,
      kind,
      key: `${kind}:${leadId}`,
      urgency: after.urgency,
    });
  const lastUpdate = updateKey ?? before?.lastUpdateEventKey ?? undefined;
  return { leadId, eventKeys: [...possibleLeadEventKeys(leadId, after), ...(lastUpdate ? [lastUpdate] : [])] };
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
  const events = await Promise.all(keys.map((key) => models.LeadEvent.findById(key, { notifiedAt: 1 }).lean()));
  return keys.filter((_, i) => events[i] && !events[i]!.notifiedAt);
};
