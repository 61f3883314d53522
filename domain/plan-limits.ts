/**
 * The plan's limits on connected channels and seats, checked in one place: connecting a Page or an Instagram
 * account, inviting someone and accepting an invitation all ask `checkPlanLimit` just before they write.
 *
 * - Channels: Messenger Pages and Instagram accounts that are connected or waiting for reconnection (status not
 *   `disconnected`). Reconnecting one of them takes no new slot. The website chat widget is part of every plan
 *   and is not a channel here.
 * - Seats: the business's memberships (the owner counts) plus its pending invitations (live invite tokens, one
 *   per address that is not a member yet). Re-inviting a pending address or a member takes no new seat. Accepting
 *   counts memberships only: the invitation already held its seat, so pending invitations never block each other.
 * - Without Stripe keys (the `local` plan) nothing is limited; the trial has Growth's limits.
 *
 * FerretDB has no transactions: the count and the write are two steps, so two requests racing for the last slot
 * can both pass and leave the business one over its limit. That state is the same as after a downgrade: nothing is
 * disconnected, the billing view reports it (`overLimitOf`) and the next connection or invitation is refused.
 */
import type { Models } from '../db/models/index.js';
import { loadBillingRecord } from './billing-records.js';
import { planOf, type Plan, type PlanId } from './plans.js';

export type PlanResource = 'channels' | 'seats';

export type PlanLimitCheck =
  | { isAllowed: true; used: number; limit: number | null }
  | { isAllowed: false; resource: PlanResource; plan: { id: PlanId; name: string }; used: number; limit: number; adding: number };

export type PlanLimitRefusal = Extract<PlanLimitCheck, { isAllowed: false }>;

/** A channel holds a slot until it is disconnected (a channel waiting for reconnection still does). */
export const channelsInUseFilter = (businessId: string) => ({ businessId, status: { $ne: 'disconnected' as const } });

/** The plan whose limits apply: unlimited without Stripe; else the billing record's plan (no record yet: the trial). */
export const planInForce = async (models: Models, businessId: string, isStripeConfigured: boolean): Promise<Plan> => {
  if (!isStripeConfigured) return planOf('local');
  const record = await loadBillingRecord(models, businessId);
  return planOf(record?.plan);
};

const normalEmail = (email: string) => email.trim().toLowerCase();

/** Addresses with a live invitation to the business that are not members yet, and the members' addresses. */
const seatHolders = async (models: Models, businessId: string, now: Date) => {
  const memberships = await models.Membership.find({ businessId }, { userId: 1 }).lean();
  const users = await models.User.find({ _id: { $in: memberships.map((m) => m.userId) } }, { email: 1 }).lean();
  const memberEmails = new Set(users.map((u) => normalEmail(u.email)));
  const invites = await models.AccountToken.find(
    { purpose: 'invite', businessId, usedAt: { $exists: false }, expiresAt: { $gt: now } },
    { email: 1 },
  ).lean();
  const pending = new Set(invites.map((i) => normalEmail(i.email)).filter((e) => !memberEmails.has(e)));
  return { members: memberships.length, memberEmails, pending };
};

/** Seats in use: memberships plus pending invitations. */
export const countSeats = async (models: Models, businessId: string, now = new Date()) => {
  const { members, pending } = await seatHolders(models, businessId, now);
  return members + pending.size;
};

export const countChannels = (models: Models, businessId: string) => models.Channel.countDocuments(channelsInUseFilter(businessId));

export type PlanLimitQuery = { businessId: string; isStripeConfigured: boolean; now?: Date } & (
  { resource: 'channels'; adding: number } | { resource: 'seats'; action: { kind: 'invite'; email: string } | { kind: 'accept' } }
);

/** Whether the business may take `adding` more channels, or one more seat, on its plan right now. */
export const checkPlanLimit = async (models: Models, q: PlanLimitQuery): Promise<PlanLimitCheck> => {
  const plan = await planInForce(models, q.businessId, q.isStripeConfigured);
  const limit = plan.limits[q.resource];
  let used: number;
  let adding: number;
  if (q.resource === 'channels') {
    used = limit === null ? 0 : await countChannels(models, q.businessId);
    adding = q.adding;
  } else {
    const holders = limit === null ? undefined : await seatHolders(models, q.businessId, q.now ?? new Date());
    if (!holders) return { isAllowed: true, used: 0, limit: null };
    if (q.action.kind === 'accept') {
      used = holders.members;
      adding = 1;
    } else {
      const email = normalEmail(q.action.email);
      used = holders.members + holders.pending.size;
      adding = holders.memberEmails.has(email) || holders.pending.has(email) ? 0 : 1;
    }
  }
  if (limit === null || adding === 0 || used + adding <= limit) return { isAllowed: true, used, limit };
  return { isAllowed: false, resource: q.resource, plan: { id: plan.id, name: plan.name }, used, limit, adding };
};

export type OverLimit = { channels?: { used: number; limit: number }; seats?: { used: number; limit: number } };

/** What the business uses beyond its plan (after a downgrade): nothing is disconnected, the owner is shown this. */
export const overLimitOf = (plan: Plan, usage: { channels: number; seats: number }): OverLimit => {
  const over: OverLimit = {};
  for (const resource of ['channels', 'seats'] as const) {
    const limit = plan.limits[resource];
    if (limit !== null && usage[resource] > limit) over[resource] = { used: usage[resource], limit };
  }
  return over;
};

/** The web app's billing page, where the owner upgrades. */
export const billingPageUrl = (publicUrl: string) => `${publicUrl.replace(/\/+$/, '')}/app/billing`;
