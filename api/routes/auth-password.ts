/**
 * Password change (current password required; every other session ends) and reset by email (a single-use
 * link valid 45 minutes; every session ends). The reset request answers the same for any address.
 */
import type { Router } from 'express';
import { writeAudit } from '../../domain/audit.js';
import { checkPasswordOf } from '../auth/credentials.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, userOf } from '../auth/middleware.js';
import { hashPassword } from '../auth/passwords.js';
import { AppError } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { AcceptedSchema, ChangePasswordSchema, PasswordResetConfirmSchema, PasswordResetRequestSchema } from '../schemas/auth.js';
import { invalidEmailedToken } from './auth-email.js';
import { hasBudget, ipOf, take, type AuthRouteLimits } from './auth-limits.js';

const RESET_ACCEPTED = {
  status: 'accepted',
  detail: 'If an account uses this address, a link to choose a new password is on its way. It is valid for 45 minutes, once.',
} as const;

export const passwordRoutes = (router: Router, deps: AuthDeps, limits: AuthRouteLimits) => {
  const { models, log } = deps;

  /** Looks the address up and mails a link; runs after the answer went out, so its timing tells nothing. */
  const mailResetLink = async (email: string) => {
    const user = await models.User.findOne({ email }, { _id: 1 }).lean();
    if (!user || !hasBudget(limits.mailPerAddress, `reset:${email}`)) return;
    const issued = await deps.accountTokens.issue('password_reset', { email, userId: user._id });
    await deps.mailer.send({ kind: 'password_reset', to: email, token: issued.token, tokenId: issued.id });
  };

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/password',
      tags: ['auth'],
      body: ChangePasswordSchema,
      example: { currentPassword: 'a long passphrase', newPassword: 'an even longer passphrase' },
      summary: 'Change the password (the current one is required); every other session of this user ends',
      responses: { 204: 'Changed; this session stays logged in.', 403: 'The current password is not correct.', 429: 'Too many attempts.' },
    },
    [authenticate(deps)],
    async (req, res, { body }) => {
      const { userId, sessionId } = userOf(req);
      take(limits.accountPerUser, `password:${userId}`);
      if (!(await checkPasswordOf(models, userId, body.currentPassword))) {
        throw new AppError(
          403,
          'wrong-password',
          'Current password is not correct',
          'Type your current password to change it; if you forgot it, log out and use password reset.',
        );
      }
      await models.User.updateOne(
        { _id: userId },
        { $set: { passwordHash: await hashPassword(body.newPassword), passwordChangedAt: new Date() } },
      );
      await deps.sessions.revokeAllOf(userId, sessionId);
      await deps.accountTokens.spendAll('password_reset', userId);
      await writeAudit(models, { actorType: 'user', actorId: userId, action: 'user.password_changed', target: userId });
      res.status(204).end();
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/password-reset',
      tags: ['auth'],
      auth: 'none',
      body: PasswordResetRequestSchema,
      example: { email: 'owner@clinic.example' },
      summary: 'Mail a password reset link to this address if an account uses it (always 202)',
      description:
        'The link opens `{PUBLIC_URL}/reset-password?token=…`, which posts the token and the new password to /auth/password-reset/confirm.',
      responses: { 202: AcceptedSchema, 429: 'Too many requests from this address.' },
    },
    [],
    async (req, res, { body }) => {
      take(limits.tokenPerIp, ipOf(req));
      res.status(202).json(RESET_ACCEPTED);
      mailResetLink(body.email).catch((err: unknown) =>
        log.error({ err: (err as Error).message, reqId: req.id }, 'password reset link not sent'),
      );
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/password-reset/confirm',
      tags: ['auth'],
      auth: 'none',
      body: PasswordResetConfirmSchema,
      example: { token: 'lp_2bH1k7c0nZ9o3kQ5tYwqRrVv4mA8eXfLdGsPjUiOyTz', newPassword: 'an even longer passphrase' },
      summary: 'Set a new password with the token from a reset link; every session of the account ends',
      responses: {
        204: 'Password set; log in with it.',
        400: 'The token is invalid, expired or already used.',
        429: 'Too many tokens from this address.',
      },
    },
    [],
    async (req, res, { body }) => {
      take(limits.tokenPerIp, ipOf(req));
      const spent = await deps.accountTokens.consume('password_reset', body.token);
      const user = spent?.userId ? await models.User.findById(spent.userId, { email: 1, emailVerifiedAt: 1 }).lean() : null;
      if (!spent || !user || user.email !== spent.email) throw invalidEmailedToken('password reset');
      const now = new Date();
      // The link reached this inbox, so the address is proven too.
      await models.User.updateOne(
        { _id: user._id },
        {
          $set: {
            passwordHash: await hashPassword(body.newPassword),
            passwordChangedAt: now,
            ...(user.emailVerifiedAt ? {} : { emailVerifiedAt: now }),
          },
        },
      );
      await deps.accountTokens.spendAll('password_reset', user._id);
      await deps.sessions.revokeAllOf(user._id);
      await deps.loginThrottle.succeed(user.email, ipOf(req));
      await writeAudit(models, { actorType: 'user', actorId: user._id, action: 'user.password_reset', target: user._id });
      res.status(204).end();
    },
  );
};
