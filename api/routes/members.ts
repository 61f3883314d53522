/**
 * Who belongs to a business. Owners invite by email: the answer is the same whether or not the address has
 * an account (202), and the person joins by opening the mailed link while logged in with that address,
 * verified. Owners remove members; the last owner stays.
 */
import { Router } from 'express';
import { writeAudit } from '../../domain/audit.js';
import { createRateLimiter, type RateLimiter } from '../../lib/rate-limit.js';
import { auditActorOf } from '../auth/actor.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness, userOf } from '../auth/middleware.js';
import { membershipId } from '../auth/signup.js';
import { billingPageUrl, checkPlanLimit } from '../../domain/plan-limits.js';
import { AppError, conflict, forbidden, notFound, planLimitReached } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { AcceptInviteSchema, InviteMemberSchema, JoinedBusinessSchema, MemberParamsSchema, MemberViewSchema } from '../schemas/access.js';
import { AcceptedSchema } from '../schemas/auth.js';
import { BusinessParamsSchema } from '../schemas/common.js';
import { invalidEmailedToken } from './auth-email.js';
import { take } from './auth-limits.js';

export type MemberRouteLimits = { invitesPerBusiness: RateLimiter; invitesPerActor: RateLimiter; acceptsPerUser: RateLimiter };

const defaultLimits = (): MemberRouteLimits => ({
  invitesPerBusiness: createRateLimiter({ capacity: 20, refillPerSecond: 20 / 3600 }),
  invitesPerActor: createRateLimiter({ capacity: 30, refillPerSecond: 30 / 3600 }),
  acceptsPerUser: createRateLimiter({ capacity: 10, refillPerSecond: 1 / 60 }),
});

const INVITE_ACCEPTED = {
  status: 'accepted',
  detail:
    'An invitation was sent if the address can receive it. The person joins by opening the link (valid 7 days) while logged in with that address, once it is verified.',
} as const;

const notVerified = () =>
  new AppError(
    403,
    'email-not-verified',
    'Email address not verified',
    'Confirm your email address first with the link mailed at sign-up (POST /api/v1/auth/verify-email/resend sends a new one).',
  );

/** The plan's seat limit (domain/plan-limits.ts): unlimited without Stripe keys; the page named in refusals. */
export type MemberPlanLimits = { isStripeConfigured: boolean; publicUrl: string };

/** `plans` absent: seats are not limited (the local plan), as in tests of the invitation flow alone. */
export const membersRouter = (d: AuthDeps, overrides: Partial<MemberRouteLimits> = {}, plans?: MemberPlanLimits) => {
  const limits: MemberRouteLimits = { ...defaultLimits(), ...overrides };
  const router = Router();

  /** Refuses with 402 when the business's plan has no seat left for this invitation or this acceptance. */
  const assertSeat = async (businessId: string, action: { kind: 'invite'; email: string } | { kind: 'accept' }) => {
    if (!plans) return;
    const check = await checkPlanLimit(d.models, { businessId, resource: 'seats', action, isStripeConfigured: plans.isStripeConfigured });
    if (!check.isAllowed) throw planLimitReached(check, billingPageUrl(plans.publicUrl), action.kind === 'invite' ? 'owner' : 'invitee');
  };

  const viewsOf = async (memberships: { userId: string; role: 'owner' | 'member'; createdAt: Date }[]) => {
    const users = await d.models.User.find({ _id: { $in: memberships.map((m) => m.userId) } }, { email: 1, name: 1 }).lean();
    const byId = new Map(users.map((u) => [u._id, u]));
    return memberships.map((m) => ({
      userId: m.userId,
      name: byId.get(m.userId)?.name ?? null,
      email: byId.get(m.userId)?.email ?? '',
      role: m.role,
      since: m.createdAt.toISOString(),
    }));
  };

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/members',
      tags: ['members'],
      params: BusinessParamsSchema,
      summary: 'List the people with access to this business',
      responses: { 200: MemberViewSchema.array() },
    },
    [authenticate(d), requireBusiness(d, { allowPlatform: true })],
    async (_req, res, { params }) => {
      const memberships = await d.models.Membership.find({ businessId: params.businessId }, { userId: 1, role: 1, createdAt: 1 })
        .sort({ createdAt: 1 })
        .lean();
      res.json(await viewsOf(memberships));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/businesses/:businessId/members',
      tags: ['members'],
      params: BusinessParamsSchema,
      body: InviteMemberSchema,
      example: { email: 'colleague@clinic.example', role: 'member' },
      summary: 'Invite someone by email to this business (owners with a verified email only)',
      description:
        'Always 202 with the same body, whether or not the address has an account: nothing here tells who uses LuxLeads. At most 20 invitations per business and 30 per owner in a burst, refilled over an hour. A pending invitation holds a seat of the plan until it is accepted or expires; inviting a pending address again or a member takes no new seat.',
      responses: {
        202: AcceptedSchema,
        402: 'The plan has no seat left (`code: plan_limit`; members, the owner included, and pending invitations count): upgrade at /app/billing or remove a member. Nothing is sent.',
        403: 'Only owners with a verified email address can invite.',
        429: 'Too many invitations; retry after Retry-After seconds.',
      },
    },
    [authenticate(d), requireBusiness(d, { minRole: 'owner' })],
    async (req, res, { params, body }) => {
      const { userId } = userOf(req);
      const inviter = await d.models.User.findById(userId, { emailVerifiedAt: 1 }).lean();
      // An unverified owner could otherwise make LuxLeads mail anyone a message naming a business of their choosing.
      if (!inviter?.emailVerifiedAt) throw notVerified();
      take(limits.invitesPerBusiness, params.businessId);
      take(limits.invitesPerActor, userId);
      const business = await d.models.Business.findById(params.businessId, { name: 1 }).lean();
      if (!business) throw notFound('business');
      // Count, then write (no transactions): the small race is described in domain/plan-limits.ts.
      await assertSeat(params.businessId, { kind: 'invite', email: body.email });
      const issued = await d.accountTokens.issue('invite', {
        email: body.email,
        businessId: params.businessId,
        role: body.role,
        createdBy: userId,
      });
      await d.mailer.send({
        kind: 'invite',
        to: body.email,
        token: issued.token,
        tokenId: issued.id,
        businessName: business.name,
        role: body.role,
      });
      await writeAudit(d.models, {
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'member.invited',
        details: { role: body.role },
      });
      res.status(202).json(INVITE_ACCEPTED);
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/invitations/accept',
      tags: ['members'],
      body: AcceptInviteSchema,
      example: { token: 'li_2bH1k7c0nZ9o3kQ5tYwqRrVv4mA8eXfLdGsPjUiOyTz' },
      summary: 'Join a business with the token from an invitation link (logged in, with the invited address, verified)',
      description:
        'The dashboard page at `{PUBLIC_URL}/accept-invite?token=…` posts the token here. A refused check (other address, unverified) leaves the invitation usable.',
      responses: {
        201: JoinedBusinessSchema,
        400: 'The invitation is invalid, expired or already used.',
        402: 'The business has no seat left on its plan (`code: plan_limit`, e.g. after a downgrade): its owner upgrades or removes a member; the invitation stays usable.',
        403: 'Sent to another address, or this address is not verified yet.',
        409: 'Already a member.',
      },
    },
    [authenticate(d)],
    async (req, res, { body }) => {
      const { userId } = userOf(req);
      take(limits.acceptsPerUser, userId);
      const invite = await d.accountTokens.peek('invite', body.token);
      if (!invite?.businessId || !invite.role) throw invalidEmailedToken('invitation');
      const user = await d.models.User.findById(userId, { email: 1, emailVerifiedAt: 1 }).lean();
      if (!user || user.email !== invite.email)
        throw forbidden('This invitation was sent to another email address; log in with the account that uses it.');
      if (!user.emailVerifiedAt) throw notVerified();
      const business = await d.models.Business.findOne({ _id: invite.businessId, status: { $ne: 'closed' } }, { name: 1 }).lean();
      if (!business) throw invalidEmailedToken('invitation');
      if (await d.models.Membership.exists({ businessId: business._id, userId }))
        throw conflict('You are already a member of this business.');
      await assertSeat(business._id, { kind: 'accept' });
      if (!(await d.accountTokens.consume('invite', body.token))) throw invalidEmailedToken('invitation');
      await d.models.Membership.create({ _id: membershipId(business._id, userId), userId, businessId: business._id, role: invite.role });
      await writeAudit(d.models, {
        actorType: 'user',
        actorId: userId,
        businessId: business._id,
        action: 'member.added',
        target: userId,
        details: { role: invite.role, invitedBy: invite.createdBy ?? null },
      });
      res.status(201).json({ businessId: business._id, businessName: business.name, role: invite.role });
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: '/api/v1/businesses/:businessId/members/:userId',
      tags: ['members'],
      params: MemberParamsSchema,
      summary: 'Remove someone from this business (owners only; the last owner cannot be removed)',
      responses: { 204: 'Removed.', 409: 'This is the last owner.' },
    },
    [authenticate(d), requireBusiness(d, { minRole: 'owner' })],
    async (req, res, { params }) => {
      const target = await d.models.Membership.findOne({ businessId: params.businessId, userId: params.userId }, { role: 1 }).lean();
      if (!target) throw notFound('member');
      if (target.role === 'owner' && (await d.models.Membership.countDocuments({ businessId: params.businessId, role: 'owner' })) <= 1) {
        throw conflict('A business needs at least one owner; make someone else an owner before removing this one.');
      }
      await d.models.Membership.deleteOne({ _id: target._id });
      await writeAudit(d.models, { ...auditActorOf(req), businessId: params.businessId, action: 'member.removed', target: params.userId });
      res.status(204).end();
    },
  );

  return router;
};
