/**
 * The steps of closing a business account: stop everything at once (channels disconnected, tokens gone,
 * billing cancelled), and after the grace period erase the business's data (and the accounts of people who
 * belong to no other business), leaving a tombstone with status `closed` so its id is never reused and the
 * audit trail still resolves. Each step audits counts.
 */
import { randomBytes } from 'node:crypto';
import { GraphError } from '../../integrations/graph-errors.js';
import { writeAudit } from '../../domain/audit.js';
import { loadBillingRecord } from '../../domain/billing-records.js';
import { isStripeMissing } from '../../integrations/stripe.js';
import { decryptString } from '../../lib/crypto.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { deleteWorkflowRuns, temporalClientOf } from './workflow-erasure.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';

type Counts = Record<string, number>;
const BATCH = 200;

export const createAccountClosureActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const audit = (businessId: string, step: string, details: Record<string, string | number | boolean | null>) =>
    writeAudit(
      models,
      {
        key: `closure:${businessId}:${step}`,
        actorType: 'system',
        businessId,
        action: `account_closure.${step}`,
        target: businessId,
        details,
      },
      nowOf(deps),
    );

  /** Accounts of people whose only business this is go with it (with their sessions); platform staff keep theirs. */
  const eraseSoleMembers = async (businessId: string) => {
    const memberIds = (await models.Membership.find({ businessId }, { userId: 1 }).lean()).map((m) => m.userId);
    const elsewhere = await models.Membership.find({ userId: { $in: memberIds }, businessId: { $ne: businessId } }, { userId: 1 }).lean();
    const staff = await models.User.find({ _id: { $in: memberIds } }, { platformRole: 1 }).lean();
    const keep = new Set([...elsewhere.map((m) => m.userId), ...staff.filter((u) => u.platformRole).map((u) => u._id)]);
    const sole = memberIds.filter((id) => !keep.has(id));
    const sessions = await models.Session.deleteMany({ userId: { $in: sole } });
    const users = await models.User.deleteMany({ _id: { $in: sole } });
    return { users: users.deletedCount, sessions: sessions.deletedCount };
  };

  /** Best effort towards Meta: a dead token or a removed app must not block closing the account. */
  const bestEffort = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
      return 1;
    } catch (err) {
      if (err instanceof GraphError && err.isRetryable) throw err;
      deps.log.info({ what, err: (err as Error).message }, 'Meta call during account closure failed; continuing');
      return 0;
    }
  };

  return {
    async beginAccountClosure(input: { businessId: string; requestedBy?: string; purgeAt: number }) {
      const res = await models.Business.updateOne({ _id: input.businessId, status: { $ne: 'closed' } }, { $set: { status: 'closing' } });
      await audit(input.businessId, 'begin', {
        requestedBy: input.requestedBy ?? null,
        purgeOn: new Date(input.purgeAt).toISOString().slice(0, 10),
      });
      return { counts: { businesses: res.matchedCount } };
    },

    async disconnectChannelsForClosure(input: { businessId: string }) {
      const channels = await models.Channel.find({ businessId: input.businessId }).lean();
      const counts: Counts = { channels: channels.length, unsubscribed: 0, revoked: 0 };
      for (const c of channels) {
        if (c.tokenSealed) {
          const token = decryptString(deps.keyRing, c.tokenSealed, channelTokenContext(c._id));
          counts.unsubscribed! += await bestEffort('unsubscribe', () => deps.graph.unsubscribeApp(c.pageId, token));
        }
        const appToken = deps.privacy.metaAppToken;
        // Revoke the person's grant only when no other business still relies on their login.
        const asid = c.connectedByAsid;
        if (
          asid &&
          appToken &&
          !(await models.Channel.exists({ connectedByAsid: asid, businessId: { $ne: input.businessId }, status: 'connected' }))
        ) {
          counts.revoked! += await bestEffort('revoke', () => deps.graph.revokePermissions(asid, appToken));
        }
        await models.Channel.updateOne(
          { _id: c._id },
          { $set: { status: 'disconnected', statusReason: 'account_closed', disconnectedAt: nowOf(deps) }, $unset: { tokenSealed: 1 } },
        );
      }
      await audit(input.businessId, 'disconnect_channels', counts);
      return { counts };
    },

    /** Cancels the subscription and deletes the Stripe customer (deletion on request); both idempotent. */
    async cancelSubscriptionForClosure(input: { businessId: string }) {
      const stripe = deps.billing?.stripe;
      const record = await loadBillingRecord(models, input.businessId);
      const business = (await models.Business.findById(input.businessId).lean()) as Record<string, unknown> | null;
      // Records from before billing kept the subscription on the business.
      const legacyId = typeof business?.stripeSubscriptionId === 'string' ? business.stripeSubscriptionId : undefined;
      const subscriptionId = record?.stripeSubscriptionId ?? legacyId;
      const customerId = record?.stripeCustomerId;
      const ifPresent = async (call: () => Promise<unknown>) => {
        try {
          await call();
          return true;
        } catch (err) {
          if (!isStripeMissing(err)) throw err;
          return false;
        }
      };
      let outcome = !stripe ? 'stripe_not_configured' : subscriptionId ? 'cancelled' : 'no_subscription';
      if (stripe && subscriptionId) {
        const cancel = () => stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey: `closure:${input.businessId}:cancel` });
        if (!(await ifPresent(cancel))) outcome = 'already_gone';
      }
      const deleteCustomer = () => stripe!.customers.del(customerId!, {}, { idempotencyKey: `closure:${input.businessId}:customer` });
      const isCustomerDeleted = Boolean(stripe && customerId) && (await ifPresent(deleteCustomer));
      await audit(input.businessId, 'cancel_billing', { outcome, customerDeleted: isCustomerDeleted });
      return { counts: { cancelled: outcome === 'cancelled' ? 1 : 0, customersDeleted: isCustomerDeleted ? 1 : 0 }, outcome };
    },

    /** One batch per call (the workflow loops): workflows are deleted before their records so none writes back. */
    async purgeBusinessConversations(input: { businessId: string }) {
      const client = temporalClientOf(deps);
      const batch = await models.Conversation.find({ businessId: input.businessId }, { _id: 1 }).limit(BATCH).lean();
      const counts: Counts = { conversations: 0, messages: 0, workflowRunsDeleted: 0 };
      for (const { _id: conversationId } of batch) {
        const runs = await deleteWorkflowRuns(client, conversationId);
        counts.messages! += (await models.Message.deleteMany({ conversationId })).deletedCount;
        counts.conversations! += (await models.Conversation.deleteOne({ _id: conversationId })).deletedCount;
        counts.workflowRunsDeleted! += runs.deleted + runs.terminatedOnly;
      }
      return { counts, hasMore: batch.length === BATCH };
    },

    async purgeBusinessRecords(input: { businessId: string; conversationCounts: Counts }) {
      const businessId = input.businessId;
      const filter = { businessId };
      // Before the memberships: a retry after a partial run still knows who the members were.
      const people = await eraseSoleMembers(businessId);
      const counts: Counts = {
        ...input.conversationCounts,
        ...people,
        strayMessages: (await models.Message.deleteMany(filter)).deletedCount,
        leadEvents: (await models.LeadEvent.deleteMany(filter)).deletedCount,
        leads: (await models.Lead.deleteMany(filter)).deletedCount,
        channels: (await models.Channel.deleteMany(filter)).deletedCount,
        apiKeys: (await models.ApiKey.deleteMany(filter)).deletedCount,
        memberships: (await models.Membership.deleteMany(filter)).deletedCount,
        alerts: (await models.BusinessAlert.deleteMany(filter)).deletedCount,
        pendingConnections: (await models.PendingMetaConnection.deleteMany(filter)).deletedCount,
        notifications: (await models.Notification.deleteMany(filter)).deletedCount,
        webhookDeliveries: (await models.WebhookDelivery.deleteMany(filter)).deletedCount,
        leadWebhooks: (await models.LeadWebhook.deleteMany(filter)).deletedCount,
        billingUsage:
          (await models.BillingUsage.deleteMany(filter)).deletedCount + (await models.BillingUsageMark.deleteMany(filter)).deletedCount,
      };
      await models.PrivacyRequest.updateMany(filter, { $unset: { exportSealed: 1 } });
      // The tombstone: no profile, no keys that work, status closed.
      await models.Business.replaceOne(
        { _id: businessId },
        { name: 'Closed account', publishableKey: `pk_closed_${randomBytes(12).toString('hex')}`, status: 'closed' },
      );
      await audit(businessId, 'purge', counts);
      return { counts };
    },
  };
};
