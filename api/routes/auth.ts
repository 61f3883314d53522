/** Sign-up, login, refresh, logout (this session or all) and /me. Failures never say whether an email has an account. */
import { Router } from 'express';
import { writeAudit } from '../../domain/audit.js';
import type { AuthDeps } from '../auth/deps.js';
import { checkCredentials } from '../auth/credentials.js';
import { authenticate, userOf } from '../auth/middleware.js';
import type { IssuedSession } from '../auth/sessions.js';
import { createAccount } from '../auth/signup.js';
import { AppError, conflict, tooManyRequests } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { LoginSchema, MeSchema, RefreshSchema, SignupResultSchema, SignupSchema, TokenPairSchema } from '../schemas/auth.js';
import { emailVerificationRoutes, sendVerificationEmail } from './auth-email.js';
import { defaultAuthLimits, ipOf, take, type AuthRouteLimits } from './auth-limits.js';
import { passwordRoutes } from './auth-password.js';

export type { AuthRouteLimits } from './auth-limits.js';

/** One body for unknown email and wrong password; the hint is always there so it tells nothing. */
const loginFailed = () =>
  new AppError(
    401,
    'invalid-credentials',
    'Email or password is incorrect',
    'Check your email and password and try again. After repeated failures from your network, sign-in to that account pauses, longer each time (at most 15 minutes).',
  );

/** What else happens when an account is created: e.g. the new business's BillingWorkflow starts its trial timers. */
export type AuthRouterHooks = { onBusinessCreated?: (businessId: string) => Promise<void> };

export const authRouter = (deps: AuthDeps, overrides: Partial<AuthRouteLimits> = {}, hooks: AuthRouterHooks = {}) => {
  const limits: AuthRouteLimits = { ...defaultAuthLimits(), ...overrides };
  const router = Router();
  const tokensFor = (s: IssuedSession) => {
    const access = deps.tokens.issue(s.userId, s.sessionId);
    return {
      accessToken: access.token,
      tokenType: 'Bearer' as const,
      expiresIn: access.expiresIn,
      refreshToken: s.refreshToken,
      refreshExpiresAt: s.refreshExpiresAt.toISOString(),
    };
  };

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/signup',
      tags: ['auth'],
      auth: 'none',
      body: SignupSchema,
      example: {
        email: 'owner@clinic.example',
        password: 'a long passphrase',
        name: 'Dr Jane Doe',
        businessName: 'Bright Smile Dental',
        niche: 'dental clinic',
        timezone: 'Europe/London',
      },
      summary: 'Create an account and its first business; you become its owner',
      description:
        'A link to confirm the email address is mailed at once. The new account can use its own business straight away; it can join other businesses only once the address is confirmed.',
      responses: {
        201: SignupResultSchema,
        409: 'An account with this email already exists.',
        429: 'Too many sign-ups from this address.',
      },
    },
    [],
    async (req, res, { body }) => {
      take(limits.signupPerIp, ipOf(req));
      take(limits.signupPerEmail, `signup:${body.email}`);
      const result = await createAccount(deps.models, body);
      if (result.kind === 'email_taken') throw conflict('An account with this email already exists; log in instead.');
      await sendVerificationEmail(deps, { userId: result.userId, email: body.email, name: body.name });
      // Keyed by the new user: a retried sign-up finds the address taken, and a repeated queue joins the first email.
      await deps.mailer.send({ kind: 'welcome', to: body.email, userId: result.userId, name: body.name, businessName: body.businessName });
      await hooks.onBusinessCreated?.(result.businessId);
      const session = await deps.sessions.start(result.userId);
      res.status(201).json({ userId: result.userId, businessId: result.businessId, ...tokensFor(session) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['auth'],
      auth: 'none',
      body: LoginSchema,
      example: { email: 'owner@clinic.example', password: 'a long passphrase' },
      summary: 'Exchange email and password for an access token and a refresh token',
      description:
        'After 5 failures for one email from one IP, that pair pauses 1 s, then 2 s, 4 s … up to 15 minutes (429 with Retry-After). Other IPs are not affected, and a correct login clears the count.',
      responses: {
        200: TokenPairSchema,
        401: 'Email or password is incorrect (same answer for unknown emails).',
        429: 'Too many attempts; retry after Retry-After seconds.',
      },
    },
    [],
    async (req, res, { body }) => {
      take(limits.loginPerIp, ipOf(req));
      const check = await checkCredentials(deps.models, deps.loginThrottle, { email: body.email, password: body.password, ip: ipOf(req) });
      if (!check.ok && check.retryAfterSeconds) throw tooManyRequests(check.retryAfterSeconds);
      if (!check.ok) throw loginFailed();
      res.json(tokensFor(await deps.sessions.start(check.userId)));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/refresh',
      tags: ['auth'],
      auth: 'none',
      body: RefreshSchema,
      summary: 'Swap a refresh token for a new token pair (the old refresh token stops working)',
      description: 'Presenting a refresh token that was already used ends the whole session: someone else may hold a copy.',
      responses: { 200: TokenPairSchema, 401: 'The refresh token is unknown, expired or was already used.' },
    },
    [],
    async (req, res, { body }) => {
      take(limits.refreshPerIp, ipOf(req));
      const result = await deps.sessions.rotate(body.refreshToken);
      if (result.kind === 'reused') {
        deps.log.warn({ reqId: req.id }, 'refresh token reuse: session revoked');
        throw new AppError(
          401,
          'refresh-token-reused',
          'Session ended',
          'This refresh token was already used, so the session was ended to protect the account. Log in again.',
        );
      }
      if (result.kind === 'invalid')
        throw new AppError(401, 'invalid-refresh-token', 'Invalid refresh token', 'The refresh token is unknown or expired. Log in again.');
      res.json(tokensFor(result.session));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/logout',
      tags: ['auth'],
      summary: 'End this session: its refresh token and access tokens stop working',
      responses: { 204: 'Logged out.' },
    },
    [authenticate(deps)],
    async (req, res) => {
      await deps.sessions.revoke(userOf(req).sessionId);
      res.status(204).end();
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/logout-all',
      tags: ['auth'],
      summary: 'Log out everywhere: every session of this user ends, this one included',
      description:
        'For a lost device or a suspected leak. Every refresh token stops working at once; access tokens stop within seconds on every API replica.',
      responses: { 204: 'All sessions ended.' },
    },
    [authenticate(deps)],
    async (req, res) => {
      const { userId } = userOf(req);
      await deps.sessions.revokeAllOf(userId);
      await writeAudit(deps.models, { actorType: 'user', actorId: userId, action: 'user.sessions_revoked', target: userId });
      res.status(204).end();
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/me',
      tags: ['auth'],
      summary: 'The logged-in user and the businesses they belong to',
      responses: { 200: MeSchema },
    },
    [authenticate(deps)],
    async (req, res) => {
      const auth = userOf(req);
      const [user, memberships] = await Promise.all([
        deps.models.User.findById(auth.userId, { email: 1, name: 1, platformRole: 1, emailVerifiedAt: 1 }).lean(),
        deps.models.Membership.find({ userId: auth.userId }, { businessId: 1, role: 1 }).lean(),
      ]);
      if (!user) throw new AppError(401, 'unauthorized', 'Authentication required', 'This account no longer exists.');
      const businesses = await deps.models.Business.find({ _id: { $in: memberships.map((m) => m.businessId) } }, { name: 1 }).lean();
      const nameOf = new Map(businesses.map((b) => [b._id, b.name]));
      res.json({
        user: {
          id: user._id,
          email: user.email,
          emailVerified: Boolean(user.emailVerifiedAt),
          name: user.name ?? null,
          platformRole: user.platformRole ?? null,
        },
        memberships: memberships.map((m) => ({ businessId: m.businessId, businessName: nameOf.get(m.businessId) ?? null, role: m.role })),
      });
    },
  );

  emailVerificationRoutes(router, deps, limits);
  passwordRoutes(router, deps, limits);
  return router;
};
