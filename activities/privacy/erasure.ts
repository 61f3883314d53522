/**
 * The erasing steps of a deletion request. Each is idempotent (a retry deletes nothing twice and counts
 * what it removed this time) and returns counts only.
 */
import type { ActivityDeps } from '../deps.js';
import { decryptString } from '../../lib/crypto.js';
import { businessScope, leadEventFilter } from './subject.js';
import { awaitConversationModes, awaitWorkflowsGone, deleteWorkflowRuns, temporalClientOf } from './workflow-erasure.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';

type Scope = { requestId: string; businessId?: string };

/** How long one attempt waits for told threads to stop between batches; the step's retry waits again. */
const STOP_WAIT_MS = 5 * 60_000;

/**
 * Whether a conversation id may be erased for a request scoped to `businessId`: its record belongs to that
 * business, or (record already gone) its workflow id names that business. Unscoped requests may erase any.
 */
const isConversationInScope = async (deps: ActivityDeps, conversationId: string, businessId?: string) => {
  if (!businessId) return true;
  const row = await deps.models.Conversation.findById(conversationId, { businessId: 1 }).lean();
  return row ? row.businessId === businessId : conversationId.startsWith(`conversation:${businessId}:`);
};

/** Erases one conversation whose thread has stopped: its records are counted, then every run goes, then the records. */
const eraseConversationData = async (deps: ActivityDeps, conversationId: string, businessId?: string) => {
  const { models } = deps;
  const scope = businessScope(businessId);
  const [messagesHeld, isHeld] = await Promise.all([
    models.Message.countDocuments({ ...scope, conversationId }),
    models.Conversation.exists({ ...scope, _id: conversationId }),
  ]);
  // Histories first, while the stopped thread still waits: deleting an open run ends it and drops it at once.
  const runs = await deleteWorkflowRuns(temporalClientOf(deps), conversationId);
  const messages = await models.Message.deleteMany({ ...scope, conversationId });
  const conversation = await models.Conversation.deleteOne({ ...scope, _id: conversationId });
  await models.Lead.updateMany({ ...scope, conversationIds: conversationId }, { $pull: { conversationIds: conversationId } });
  return {
    messages: Math.max(messagesHeld, messages.deletedCount),
    conversations: isHeld || conversation.deletedCount ? 1 : 0,
    runs,
  };
};

export const createPrivacyErasureActivities = (deps: ActivityDeps) => {
  const { models } = deps;

  return {
    /**
     * The person's conversations. `stoppedIds` are the threads the request's workflow told to stop: each is waited
     * for until it has stopped between batches (search attribute mode `erasing`), so nothing in flight writes its
     * records back; then its history goes (which ends it), then its records.
     */
    async eraseConversations(input: Scope & { conversationIds: string[]; stoppedIds?: string[] }) {
      const client = temporalClientOf(deps);
      const counts = { conversations: 0, messages: 0, workflowsStopped: 0, workflowRunsDeleted: 0, workflowRunsTerminated: 0 };
      const inScope: string[] = [];
      for (const id of input.conversationIds) {
        if (await isConversationInScope(deps, id, input.businessId)) inScope.push(id);
        else deps.log.warn({ requestId: input.requestId }, 'erasure skipped a conversation outside the request’s business');
      }
      const stopped = (input.stoppedIds ?? []).filter((id) => inScope.includes(id));
      const stillBusy = await awaitConversationModes(client, stopped, 'erasing', STOP_WAIT_MS);
      if (stillBusy.length > 0)
        throw new Error(`${stillBusy.length} conversations told to stop are still in a batch; waiting again on retry`);
      counts.workflowsStopped = stopped.length;

      const deletedIds: string[] = [];
      for (const id of inScope) {
        const r = await eraseConversationData(deps, id, input.businessId);
        counts.conversations += r.conversations;
        counts.messages += r.messages;
        counts.workflowRunsDeleted += r.runs.deleted;
        counts.workflowRunsTerminated += r.runs.terminatedOnly;
        if (r.runs.deleted > 0 && r.runs.terminatedOnly === 0) deletedIds.push(id);
      }
      // The step only counts as done once Temporal has really let go of the histories.
      const lingering = await awaitWorkflowsGone(client, deletedIds, 30_000);
      if (lingering.length > 0) {
        for (const id of lingering) await deleteWorkflowRuns(client, id);
        throw new Error(`${lingering.length} conversation histories are still in Temporal; deleting again on retry`);
      }
      return { counts };
    },

    /**
     * Lead events (also the notification records, notifiedAt, of those leads) with what was sent about them: the
     * business's notification rows and the CRM webhook delivery log, which point at the person's lead.
     */
    async eraseLeadEvents(input: Scope & { leadIds: string[]; conversationIds: string[] }) {
      const filter = leadEventFilter(input.leadIds, input.conversationIds, input.businessId);
      const scope = businessScope(input.businessId);
      const eventIds = (await models.LeadEvent.find(filter, { _id: 1 }).lean()).map((e) => e._id);
      // Events last: a retry after a partial run still finds the ids the other rows are keyed by.
      const deliveries = await models.WebhookDelivery.deleteMany({ ...scope, eventId: { $in: eventIds } });
      const notifications = await models.Notification.deleteMany({
        ...scope,
        $or: [{ leadId: { $in: input.leadIds } }, { eventId: { $in: eventIds } }, { conversationId: { $in: input.conversationIds } }],
      });
      const events = await models.LeadEvent.deleteMany(filter);
      return {
        counts: { leadEvents: events.deletedCount, notifications: notifications.deletedCount, webhookDeliveries: deliveries.deletedCount },
      };
    },

    /** Deleted, not anonymised: a business keeps its lead counts in its own reports, not in our records. */
    async eraseLeads(input: Scope & { leadIds: string[] }) {
      const leads = await models.Lead.deleteMany({
        ...businessScope(input.businessId),
        $or: [{ _id: { $in: input.leadIds } }, { mergedInto: { $in: input.leadIds } }],
      });
      return { counts: { leads: leads.deletedCount } };
    },

    /** What we hold from Facebook Login about a business user: their Page connections, tokens and ASID. */
    async eraseFacebookData(input: Scope & { asid: string }) {
      const scope = businessScope(input.businessId);
      const channels = await models.Channel.find({ ...scope, connectedByAsid: input.asid }).lean();
      for (const c of channels) {
        if (c.tokenSealed) {
          try {
            const token = decryptString(deps.keyRing, c.tokenSealed, channelTokenContext(c._id));
            await deps.graph.unsubscribeApp(c.pageId, token);
          } catch (err) {
            // The grant is usually already gone (the user removed the app); nothing left to unsubscribe.
            deps.log.info({ channelId: c._id, err: (err as Error).message }, 'unsubscribe during Facebook data erasure failed; continuing');
          }
        }
      }
      const deletedChannels = await models.Channel.deleteMany({ _id: { $in: channels.map((c) => c._id) } });
      const pending = await models.PendingMetaConnection.deleteMany({ asid: input.asid });
      const users = await models.User.updateMany({ metaAsid: input.asid }, { $unset: { metaAsid: 1 } });
      const businesses = await models.Business.updateMany(
        { ...(input.businessId ? { _id: input.businessId } : {}), ownerAsid: input.asid },
        { $unset: { ownerAsid: 1 } },
      );
      return {
        counts: {
          channels: deletedChannels.deletedCount,
          pendingConnections: pending.deletedCount,
          users: users.modifiedCount,
          businesses: businesses.modifiedCount,
        },
      };
    },
  };
};
