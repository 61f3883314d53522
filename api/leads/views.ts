/** What the dashboard sees of a lead: the person's details for the business, never the channel contact ids. */
import type { LeadRow } from '../../domain/leads.js';
import { isoOrNull } from '../../lib/iso.js';

export const leadView = (l: LeadRow) => ({
  id: l._id,
  status: l.status,
  channel: l.channel,
  name: l.name ?? null,
  phone: l.phone ?? null,
  email: l.email ?? null,
  enquiry: l.enquiry ?? null,
  enquiryType: l.enquiryType,
  urgency: l.urgency,
  specialist: l.specialist,
  needsHuman: l.needsHuman,
  notes: l.notes ?? null,
  assignee: l.assignee ?? null,
  conversationIds: l.conversationIds,
  mergedInto: l.mergedInto ?? null,
  createdAt: isoOrNull(l.createdAt),
  updatedAt: isoOrNull(l.updatedAt),
  lastMessageAt: isoOrNull(l.lastMessageAt),
});
