/**
 * Email verification: sign-up mails a single-use link; opening it (POST /auth/verify-email) marks the address
 * verified. Until then the account can use its own business but cannot join others (members.ts).
 */
import type { Router } from 'express';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, userOf } from '../auth/middleware.js';
import { AppError, conflict } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { AcceptedSchema, EmailVerifiedSchema, VerifyEmailSchema } from '../schemas/auth.js';
import { hasBudget, ipOf, take, type AuthRouteLimits } from './auth-limits.js';

export const invalidEmailedToken = (what: string) =>
  new AppError(400, 'invalid-token', 'This link is not valid', `This ${what} link is invalid, expired or already used; ask for a new one.`);

/** Issues a verification token and mails it; delivery failures are logged, never thrown (sign-up must still succeed). */
export const sendVerificationEmail = async (deps: AuthDeps, user: { userId: string; email: string; name?: string }) => {
  const issued = await deps.accountTokens.issue('verify_email', { email: user.email, userId: user.userId });
  return deps.mailer.send({
    kind: 'verify_email',
    to: user.email,
    token: issued.token,
    tokenId: issued.id,
    ...(user.name ? { name: user.name } : {}),
  });
};

export const emailVerificationRoutes = (router: Router, deps: AuthDeps, limits: AuthRouteLimits) => {
  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/verify-email',
      tags: ['auth'],
      auth: 'none',
      body: VerifyEmailSchema,
      example: { token: 'lv_2bH1k7c0nZ9o3kQ5tYwqRrVv4mA8eXfLdGsPjUiOyTz' },
      summary: 'Confirm an email address with the token from the link mailed at sign-up (single use, valid 48 hours)',
      description:
        'The dashboard page at `{PUBLIC_URL}/verify-email?token=…` posts the token here; opening the link alone changes nothing.',
      responses: {
        200: EmailVerifiedSchema,
        400: 'The token is invalid, expired or already used.',
        429: 'Too many tokens from this address.',
      },
    },
    [],
    async (req, res, { body }) => {
      take(limits.tokenPerIp, ipOf(req));
      const spent = await deps.accountTokens.consume('verify_email', body.token);
      const user = spent?.userId ? await deps.models.User.findById(spent.userId, { email: 1, emailVerifiedAt: 1 }).lean() : null;
      // The address must still be the account's: a link mailed before an email change verifies nothing.
      if (!spent || !user || user.email !== spent.email) throw invalidEmailedToken('verification');
      const verifiedAt = user.emailVerifiedAt ?? new Date();
      if (!user.emailVerifiedAt)
        await deps.models.User.updateOne({ _id: user._id, email: spent.email }, { $set: { emailVerifiedAt: verifiedAt } });
      res.json({ email: user.email, emailVerifiedAt: verifiedAt.toISOString() });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/verify-email/resend',
      tags: ['auth'],
      summary: 'Mail a new verification link to the logged-in user (at most 3 in a row, then one per 10 minutes)',
      responses: { 202: AcceptedSchema, 409: 'The address is already verified.', 429: 'Too many requests.' },
    },
    [authenticate(deps)],
    async (req, res) => {
      const { userId } = userOf(req);
      take(limits.accountPerUser, `verify:${userId}`);
      const user = await deps.models.User.findById(userId, { email: 1, name: 1, emailVerifiedAt: 1 }).lean();
      if (!user) throw new AppError(401, 'unauthorized', 'Authentication required', 'This account no longer exists.');
      if (user.emailVerifiedAt) throw conflict('This email address is already verified.');
      if (hasBudget(limits.mailPerAddress, `verify:${user.email}`))
        await sendVerificationEmail(deps, { userId, email: user.email, ...(user.name ? { name: user.name } : {}) });
      res.status(202).json({ status: 'accepted', detail: 'A new verification link is on its way; it is valid for 48 hours.' });
    },
  );
};
