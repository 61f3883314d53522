/** Who belongs to a business. Owners add existing users by email and remove members; the last owner stays. */
import { Router } from 'express';
import { writeAudit } from '../../lib/audit.js';
import { auditActorOf } from '../auth/actor.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import { membershipId } from '../auth/signup.js';
import { AppError, conflict, notFound } from '../errors.js';
import { documentedRoute } from '../openapi/registry.js';
import { InviteMemberSchema, MemberParamsSchema, MemberViewSchema } from '../schemas/access.js';
import { BusinessParamsSchema } from '../schemas/common.js';

export const membersRouter = (d: AuthDeps) => {
  const router = Router();

  const viewsOf = async (memberships: { userId: string; role: 'owner' | 'member'; createdAt: Date }[]) => {
    const users = await d.models.User.find({ _id: { $in: memberships.map((m) => m.userId) } }, { email: 1, name: 1 }).lean();
    const byId = new Map(users.map((u) => [u._id, u]));
    return memberships.map((m) => ({ userId: m.userId, name: byId.get(m.userId)?.name ?? null, email: byId.get(m.userId)?.email ?? '', role: m.role, since: m.createdAt.toISOString() }));
  };

  documentedRoute(router, {
    method: 'get', path: '/api/v1/businesses/:businessId/members', tags: ['members'], params: BusinessParamsSchema,
    summary: 'List the people with access to this business', responses: { 200: MemberViewSchema.array() },
  }, [authenticate(d), requireBusiness(d, { allowPlatform: true })], async (_req, res, { params }) => {
    const memberships = await d.models.Membership.find({ businessId: params.businessId }, { userId: 1, role: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean();
    res.json(await viewsOf(memberships));
  });

  documentedRoute(router, {
    method: 'post', path: '/api/v1/businesses/:businessId/members', tags: ['members'], params: BusinessParamsSchema, body: InviteMemberSchema, example: { email: 'colleague@clinic.example', role: 'member' },
    summary: 'Give an existing LuxLeads user access to this business (owners only)',
    responses: { 201: MemberViewSchema, 404: 'No account uses that email; ask them to sign up first.', 409: 'Already a member.' },
  }, [authenticate(d), requireBusiness(d, { minRole: 'owner' })], async (req, res, { params, body }) => {
    const user = await d.models.User.findOne({ email: body.email }, { _id: 1 }).lean();
    if (!user) throw new AppError(404, 'not-found', 'Not found', 'No LuxLeads account uses that email; ask them to sign up first, then add them.');
    if (await d.models.Membership.exists({ businessId: params.businessId, userId: user._id })) throw conflict('That user is already a member of this business.');
    const created = await d.models.Membership.create({ _id: membershipId(params.businessId, user._id), userId: user._id, businessId: params.businessId, role: body.role });
    await writeAudit(d.models, { ...auditActorOf(req), businessId: params.businessId, action: 'member.added', target: user._id, details: { role: body.role } });
    const [view] = await viewsOf([{ userId: user._id, role: body.role, createdAt: created.createdAt }]);
    res.status(201).json(view);
  });

  documentedRoute(router, {
    method: 'delete', path: '/api/v1/businesses/:businessId/members/:userId', tags: ['members'], params: MemberParamsSchema,
    summary: 'Remove someone from this business (owners only; the last owner cannot be removed)',
    responses: { 204: 'Removed.', 409: 'This is the last owner.' },
  }, [authenticate(d), requireBusiness(d, { minRole: 'owner' })], async (req, res, { params }) => {
    const target = await d.models.Membership.findOne({ businessId: params.businessId, userId: params.userId }, { role: 1 }).lean();
    if (!target) throw notFound('member');
    if (target.role === 'owner' && (await d.models.Membership.countDocuments({ businessId: params.businessId, role: 'owner' })) <= 1) {
      throw conflict('A business needs at least one owner; make someone else an owner before removing this one.');
    }
    await d.models.Membership.deleteOne({ _id: target._id });
    await writeAudit(d.models, { ...auditActorOf(req), businessId: params.businessId, action: 'member.removed', target: params.userId });
    res.status(204).end();
  });

  return router;
};
