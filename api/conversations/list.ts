/**
 * The inbox list: a page of this business's conversations, each with its lead's name and urgency and a short
 * preview of the last message. Everything is read with the business id in the filter, so a lead or thread of
 * another business can neither be shown nor used to filter.
 */
import type { Models } from '../../db/models/index.js';
import type { ConversationRow } from '../../domain/conversation-records.js';
import { mapPage } from '../pagination.js';
import { pageOf } from './page-of.js';
import type { ConversationListQuery } from './schemas.js';
import { conversationListItemView, type LeadSummary } from './views.js';

export const listConversations = async (models: Models, businessId: string, query: ConversationListQuery) => {
  const { limit, cursor, urgency, ...filters } = query;
  const filter: Record<string, unknown> = { businessId, ...filters };
  if (urgency) {
    const leads = await models.Lead.find({ businessId, urgency }, { _id: 1 }).lean();
    filter.leadId = { $in: leads.map((l) => l._id) };
  }
  const page = await pageOf<ConversationRow>(models.Conversation, filter, { limit, cursor }, { sortBy: 'lastMessageAt', order: 'desc' });
  const leadIds = [...new Set(page.data.flatMap((c) => (c.leadId ? [c.leadId] : [])))];
  const leads: LeadSummary[] = leadIds.length
    ? await models.Lead.find({ businessId, _id: { $in: leadIds } }, { name: 1, urgency: 1 }).lean()
    : [];
  const byId = new Map(leads.map((l) => [l._id, l]));
  return mapPage(page, (c) => conversationListItemView(c, c.leadId ? byId.get(c.leadId) : undefined));
};
