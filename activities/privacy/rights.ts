/**
 * The steps of access, correction, restriction and objection requests. The access export holds the
 * subject's own records and nothing else, and is stored sealed on the request (never in workflow history).
 */
import { normaliseEmail } from '../../ai/extract.js';
import { encryptString } from '../../lib/crypto.js';
import type { LeadCorrection } from '../../domain/privacy-requests.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { businessScope, leadEventFilter } from './subject.js';
import { awaitConversationModes, temporalClientOf } from './workflow-erasure.js';
import { exportContext } from '../../domain/encryption-contexts.js';
import { isoOrNull } from '../../lib/iso.js';

type Records = { requestId: string; businessId?: string; conversationIds: string[]; leadIds: string[] };

export const EXPORT_FORMAT = 'luxleads.subject-export/v1';

/** Best effort: the stored mode already holds the thread back (its next message is not answered); this only confirms it. */
const RESTRICT_WAIT_MS = 60_000;

export const createPrivacyRightsActivities = (deps: ActivityDeps) => {
  const { models } = deps;

  return {
    async compileSubjectExport(input: Records) {
      const scope = businessScope(input.businessId);
      const [leads, conversations, messages, events] = await Promise.all([
        models.Lead.find({ ...scope, _id: { $in: input.leadIds } }).lean(),
        models.Conversation.find({ ...scope, _id: { $in: input.conversationIds } }).lean(),
        models.Message.find({ ...scope, conversationId: { $in: input.conversationIds } })
          .sort({ at: 1 })
          .lean(),
        models.LeadEvent.find(leadEventFilter(input.leadIds, input.conversationIds, input.businessId)).lean(),
      ]);
      const businessIds = [...new Set([...leads, ...conversations].map((r) => r.businessId))];
      const businesses = await models.Business.find({ _id: { $in: businessIds } }, { name: 1 }).lean();
      const doc = {
        format: EXPORT_FORMAT,
        requestId: input.requestId,
        generatedAt: nowOf(deps).toISOString(),
        controllers: businesses.map((b) => ({ businessId: b._id, name: b.name })),
        leads: leads.map((l) => ({
          id: l._id,
          businessId: l.businessId,
          channel: l.channel,
          contactKeys: l.contactKeys,
          name: l.name ?? null,
          phone: l.phone ?? null,
          email: l.email ?? null,
          enquiry: l.enquiry ?? null,
          enquiryType: l.enquiryType,
          urgency: l.urgency,
          status: l.status,
          notes: l.notes ?? null,
          createdAt: isoOrNull(l.createdAt),
          lastMessageAt: isoOrNull(l.lastMessageAt),
        })),
        conversations: conversations.map((c) => ({
          id: c._id,
          businessId: c.businessId,
          channel: c.channel,
          contactId: c.contactId,
          mode: c.mode,
          startedAt: isoOrNull(c.createdAt),
          lastMessageAt: isoOrNull(c.lastMessageAt),
          messages: messages
            .filter((m) => m.conversationId === c._id)
            .map((m) => ({
              at: isoOrNull(m.at),
              direction: m.direction,
              author: m.author,
              text: m.text,
              status: m.status,
              attachments: m.attachments,
            })),
        })),
        /** Lead events double as the record of which notifications were sent about this person. */
        notifications: events.map((e) => ({
          kind: e.kind,
          businessId: e.businessId,
          leadId: e.leadId,
          recordedAt: isoOrNull(e.createdAt),
          notifiedAt: isoOrNull(e.notifiedAt),
        })),
      };
      await models.PrivacyRequest.updateOne(
        { _id: input.requestId },
        { $set: { exportSealed: encryptString(deps.keyRing, JSON.stringify(doc), exportContext(input.requestId)) } },
      );
      return {
        counts: { leads: leads.length, conversations: conversations.length, messages: messages.length, notifications: events.length },
      };
    },

    async correctSubjectLeads(input: Records & { correction: LeadCorrection }) {
      const set: Record<string, string> = {};
      if (input.correction.name?.trim()) set.name = input.correction.name.trim();
      if (input.correction.email?.trim()) set.email = normaliseEmail(input.correction.email) ?? input.correction.email.trim();
      if (input.correction.phone?.trim()) set.phone = input.correction.phone.trim();
      if (Object.keys(set).length === 0 || input.leadIds.length === 0) return { counts: { leads: 0, fields: Object.keys(set).length } };
      const res = await models.Lead.updateMany({ ...businessScope(input.businessId), _id: { $in: input.leadIds } }, { $set: set });
      return { counts: { leads: res.matchedCount, fields: Object.keys(set).length } };
    },

    /**
     * The assistant stops answering this person: their threads go to mode `restricted` (the stored mode, which a
     * thread reads with every message) and each business is told. Returns the threads, which the request's workflow
     * then tells to restrict themselves at once (privacyControlSignal).
     */
    async restrictSubjectProcessing(input: Records & { kind: 'restriction' | 'objection' }) {
      const inScope = { ...businessScope(input.businessId), _id: { $in: input.conversationIds } };
      const marked = await models.Conversation.updateMany(inScope, { $set: { mode: 'restricted' }, $unset: { pausedUntil: 1 } });
      const conversations = await models.Conversation.find(inScope, { businessId: 1 }).lean();

      const perBusiness = new Map<string, number>();
      for (const c of conversations) perBusiness.set(c.businessId, (perBusiness.get(c.businessId) ?? 0) + 1);
      const why =
        input.kind === 'objection' ? 'objected to the processing of their data' : 'asked for the processing of their data to be restricted';
      for (const [businessId, count] of perBusiness) {
        await models.BusinessAlert.updateOne(
          { _id: `processing_restricted:${input.requestId}:${businessId}` },
          {
            $setOnInsert: {
              businessId,
              kind: 'processing_restricted',
              message: `A customer ${why} (request ${input.requestId}). The assistant no longer replies in ${count} conversation(s) with them; answer them personally if needed.`,
            },
          },
          { upsert: true },
        );
      }
      return {
        counts: { conversations: marked.matchedCount, businessesAlerted: perBusiness.size },
        conversationIds: conversations.map((c) => c._id),
      };
    },

    /** Waits until the threads the workflow told have restricted themselves; returns how many did. */
    async awaitConversationsRestricted(input: { requestId: string; conversationIds: string[] }) {
      const unconfirmed = await awaitConversationModes(temporalClientOf(deps), input.conversationIds, 'restricted', RESTRICT_WAIT_MS);
      if (unconfirmed.length > 0)
        deps.log.warn(
          { requestId: input.requestId, unconfirmed: unconfirmed.length },
          'threads not yet restricted; their stored mode holds them back',
        );
      return { restricted: input.conversationIds.length - unconfirmed.length };
    },
  };
};
