/**
 * A business user's own account, without staff (GDPR art. 15–17 for the people who log in): change their name and
 * email (a new address is unverified until its link is opened, and a wrong password changes nothing), download what
 * we hold on them as JSON, and delete the account. Deleting is refused while they own an open business: it would
 * leave a business (its billing, its members, its customers' data) with no owner. They transfer or close it first
 * (POST /api/v1/businesses/{id}/close), then delete.
 */
import { Router } from 'express';
import { z } from 'zod';
import { writeAudit } from '../../domain/audit.js';
import { authenticate, userOf } from '../auth/middleware.js';
import { verifyPassword } from '../auth/passwords.js';
import { AppError, conflict } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import type { PrivacyApiDeps } from '../privacy/deps.js';
import { sendVerificationEmail } from './auth-email.js';

const ME = '/api/v1/me';
const TAGS = ['auth'];

const UpdateMeSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.string().trim().toLowerCase().max(254).pipe(z.email()).optional(),
    currentPassword: z.string().min(1).max(200).optional().describe('Required to change the email address'),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.email !== undefined, 'give name or email');
const DeleteMeSchema = z.object({ currentPassword: z.string().min(1).max(200), confirm: z.literal(true) }).strict();
const AccountViewSchema = z.object({ id: z.string(), name: z.string().nullable(), email: z.string(), emailVerified: z.boolean() });

const wrongPassword = () =>
  new AppError(403, 'wrong-password', 'Wrong password', 'The current password is not right; nothing was changed.');

export const accountSelfServiceRouter = (deps: PrivacyApiDeps) => {
  const router = Router();
  const { auth, models } = deps;

  const userWithPassword = async (userId: string) => {
    const user = await models.User.findById(userId).lean();
    if (!user) throw new AppError(401, 'unauthorized', 'Authentication required', 'This account no longer exists.');
    return user;
  };
  const checkPassword = async (encoded: string, given?: string) => {
    if (!given || !(await verifyPassword(given, encoded))) throw wrongPassword();
  };

  documentedRoute(
    router,
    {
      method: 'patch',
      path: ME,
      tags: TAGS,
      summary: 'Change your own name or email address (a new address needs the current password and is verified by a mailed link)',
      body: UpdateMeSchema,
      responses: { 200: AccountViewSchema, 403: 'Wrong current password', 409: 'That address belongs to another account' },
    },
    [authenticate(auth)],
    async (req, res, { body }) => {
      const { userId } = userOf(req);
      const user = await userWithPassword(userId);
      const isNewEmail = body.email !== undefined && body.email !== user.email;
      if (isNewEmail) await checkPassword(user.passwordHash, body.currentPassword);
      if (isNewEmail && (await models.User.exists({ email: body.email, _id: { $ne: userId } })))
        throw conflict('That address belongs to another account.');
      // A changed address is unverified again; links mailed to the old one verify nothing (auth-email.ts).
      const set = { ...(body.name ? { name: body.name } : {}), ...(isNewEmail ? { email: body.email, emailVerifiedAt: null } : {}) };
      await models.User.updateOne({ _id: userId }, { $set: set });
      if (isNewEmail) {
        await sendVerificationEmail(auth, {
          userId,
          email: body.email!,
          ...(body.name || user.name ? { name: body.name ?? user.name! } : {}),
        });
        await writeAudit(models, { actorType: 'user', actorId: userId, action: 'user.email_changed', target: userId });
      }
      const updated = await userWithPassword(userId);
      res.json({ id: userId, name: updated.name ?? null, email: updated.email, emailVerified: Boolean(updated.emailVerifiedAt) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${ME}/export`,
      tags: TAGS,
      summary:
        'Download what LuxLeads holds about you as a user (JSON): account, memberships, sessions, API keys you made, your audit trail',
      responses: { 200: 'application/json attachment' },
    },
    [authenticate(auth)],
    async (req, res) => {
      const { userId } = userOf(req);
      const user = await userWithPassword(userId);
      const [memberships, sessions, apiKeys, audit] = await Promise.all([
        models.Membership.find({ userId }).lean(),
        models.Session.find({ userId }, { createdAt: 1, expiresAt: 1, revokedAt: 1 }).lean(),
        models.ApiKey.find({ createdBy: userId }, { name: 1, prefix: 1, businessId: 1, createdAt: 1, lastUsedAt: 1, revokedAt: 1 }).lean(),
        models.AuditEntry.find({ actorId: userId }, { action: 1, businessId: 1, at: 1 }).sort({ at: 1 }).lean(),
      ]);
      const businesses = await models.Business.find({ _id: { $in: memberships.map((m) => m.businessId) } }, { name: 1 }).lean();
      const nameOf = new Map(businesses.map((b) => [b._id, b.name]));
      await writeAudit(models, { actorType: 'user', actorId: userId, action: 'user.data_exported', target: userId });
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-disposition', `attachment; filename="my-account-${userId}.json"`);
      res.json({
        format: 'luxleads.user-export/v1',
        generatedAt: new Date().toISOString(),
        account: {
          id: user._id,
          name: user.name ?? null,
          email: user.email,
          emailVerifiedAt: user.emailVerifiedAt ?? null,
          platformRole: user.platformRole ?? null,
          facebookLinked: Boolean(user.metaAsid),
          createdAt: user.createdAt,
          passwordChangedAt: user.passwordChangedAt ?? null,
        },
        memberships: memberships.map((m) => ({ businessId: m.businessId, businessName: nameOf.get(m.businessId) ?? null, role: m.role })),
        sessions: sessions.map((s) => ({ startedAt: s.createdAt, expiresAt: s.expiresAt, revokedAt: s.revokedAt ?? null })),
        apiKeysCreated: apiKeys.map((k) => ({
          businessId: k.businessId,
          name: k.name ?? null,
          prefix: k.prefix,
          createdAt: k.createdAt,
          revokedAt: k.revokedAt ?? null,
        })),
        activity: audit.map((a) => ({ action: a.action, businessId: a.businessId ?? null, at: a.at })),
      });
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: ME,
      tags: TAGS,
      summary: 'Delete your own account (refused while you own an open business: transfer or close it first)',
      body: DeleteMeSchema,
      responses: { 204: 'Deleted; every session ended', 403: 'Wrong current password', 409: 'You own an open business' },
    },
    [authenticate(auth)],
    async (req, res, { body }) => {
      const { userId } = userOf(req);
      const user = await userWithPassword(userId);
      await checkPassword(user.passwordHash, body.currentPassword);
      const owned = await models.Membership.find({ userId, role: 'owner' }, { businessId: 1 }).lean();
      const open = await models.Business.find(
        { _id: { $in: owned.map((m) => m.businessId) }, status: { $ne: 'closed' } },
        { name: 1 },
      ).lean();
      if (open.length > 0)
        throw conflict(
          `You own ${open.map((b) => b.name).join(', ')}. Make another member its owner, or close it (POST /api/v1/businesses/{id}/close), then delete your account.`,
        );
      await auth.sessions.revokeAllOf(userId);
      await Promise.all([
        models.Membership.deleteMany({ userId }),
        models.Session.deleteMany({ userId }),
        models.AccountToken.deleteMany({ userId }),
      ]);
      await models.User.deleteOne({ _id: userId });
      // Kept for accountability like every audit entry (AUDIT_RETENTION_DAYS): the user id only, no name or address.
      await writeAudit(models, { actorType: 'user', actorId: userId, action: 'user.deleted', target: userId });
      res.status(204).end();
    },
  );

  return router;
};
