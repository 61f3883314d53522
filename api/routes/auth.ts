/** Sign-up, login, refresh, logout and /me. Failures never say whether an email has an account. */
import { Router, type Request } from 'express';
import { createRateLimiter, type RateLimiter } from '../../lib/rate-limit.js';
import type { AuthDeps } from '../auth/deps.js';
import { checkCredentials } from '../auth/credentials.js';
import { authenticate, userOf } from '../auth/middleware.js';
import type { IssuedSession } from '../auth/sessions.js';
import { createAccount } from '../auth/signup.js';
import { AppError, conflict, tooManyRequests } from '../errors.js';
import { documentedRoute } from '../openapi/registry.js';
import { LoginSchema, MeSchema, RefreshSchema, SignupResultSchema, SignupSchema, TokenPairSchema } from '../schemas/auth.js';

/** One body for unknown email, wrong password and locked account; the hint is always there so it tells nothing. */
const loginFailed = () =>
  new AppError(401, 'invalid-credentials', 'Email or password is incorrect', 'Check your email and password and try again. After repeated failures, sign-in is paused for 15 minutes.');

export type AuthRouteLimits = { signupPerIp: RateLimiter; loginPerIp: RateLimiter; loginPerEmail: RateLimiter; refreshPerIp: RateLimiter };

const defaultLimits = (): AuthRouteLimits => ({
  signupPerIp: createRateLimiter({ capacity: 10, refillPerSecond: 1 / 60 }),
  loginPerIp: createRateLimiter({ capacity: 30, refillPerSecond: 0.5 }),
  loginPerEmail: createRateLimiter({ capacity: 12, refillPerSecond: 1 / 30 }),
  refreshPerIp: createRateLimiter({ capacity: 60, refillPerSecond: 1 }),
});

const take = (limiter: RateLimiter, key: string) => {
  const r = limiter.take(key);
  if (!r.ok) throw tooManyRequests(r.retryAfterSeconds);
};
const ipOf = (req: Request) => req.ip ?? 'unknown';

export const authRouter = (deps: AuthDeps, limits: AuthRouteLimits = defaultLimits()) => {
  const router = Router();
  const tokensFor = (s: IssuedSession) => {
    const access = deps.tokens.issue(s.userId, s.sessionId);
    return { accessToken: access.token, tokenType: 'Bearer' as const, expiresIn: access.expiresIn, refreshToken: s.refreshToken, refreshExpiresAt: s.refreshExpiresAt.toISOString() };
  };

  documentedRoute(router, {
    method: 'post', path: '/api/v1/auth/signup', tags: ['auth'], auth: 'none', body: SignupSchema,
    example: { email: 'owner@clinic.example', password: 'a long passphrase', name: 'Dr Jane Doe', businessName: 'Bright Smile Dental', niche: 'dental clinic', timezone: 'Europe/London' },
    summary: 'Create an account and its first business; you become its owner',
    responses: { 201: SignupResultSchema, 409: 'An account with this email already exists.', 429: 'Too many sign-ups from this address.' },
  }, [], async (req, res, { body }) => {
    take(limits.signupPerIp, ipOf(req));
    take(limits.loginPerEmail, `signup:${body.email}`);
    const result = await createAccount(deps.models, body);
    if (result.kind === 'email_taken') throw conflict('An account with this email already exists; log in instead.');
    const session = await deps.sessions.start(result.userId);
    res.status(201).json({ userId: result.userId, businessId: result.businessId, ...tokensFor(session) });
  });

  documentedRoute(router, {
    method: 'post', path: '/api/v1/auth/login', tags: ['auth'], auth: 'none', body: LoginSchema, example: { email: 'owner@clinic.example', password: 'a long passphrase' },
    summary: 'Exchange email and password for an access token and a refresh token',
    responses: { 200: TokenPairSchema, 401: 'Email or password is incorrect (same answer for unknown emails and locked accounts).', 429: 'Too many attempts.' },
  }, [], async (req, res, { body }) => {
    take(limits.loginPerIp, ipOf(req));
    take(limits.loginPerEmail, body.email);
    const check = await checkCredentials(deps.models, body.email, body.password);
    if (!check.ok) throw loginFailed();
    res.json(tokensFor(await deps.sessions.start(check.userId)));
  });

  documentedRoute(router, {
    method: 'post', path: '/api/v1/auth/refresh', tags: ['auth'], auth: 'none', body: RefreshSchema,
    summary: 'Swap a refresh token for a new token pair (the old refresh token stops working)',
    description: 'Presenting a refresh token that was already used ends the whole session: someone else may hold a copy.',
    responses: { 200: TokenPairSchema, 401: 'The refresh token is unknown, expired or was already used.' },
  }, [], async (req, res, { body }) => {
    take(limits.refreshPerIp, ipOf(req));
    const result = await deps.sessions.rotate(body.refreshToken);
    if (result.kind === 'reused') {
      deps.log.warn({ reqId: req.id }, 'refresh token reuse: session revoked');
      throw new AppError(401, 'refresh-token-reused', 'Session ended', 'This refresh token was already used, so the session was ended to protect the account. Log in again.');
    }
    if (result.kind === 'invalid') throw new AppError(401, 'invalid-refresh-token', 'Invalid refresh token', 'The refresh token is unknown or expired. Log in again.');
    res.json(tokensFor(result.session));
  });

  documentedRoute(router, {
    method: 'post', path: '/api/v1/auth/logout', tags: ['auth'],
    summary: 'End this session: its refresh token and access tokens stop working',
    responses: { 204: 'Logged out.' },
  }, [authenticate(deps)], async (req, res) => {
    await deps.sessions.revoke(userOf(req).sessionId);
    res.status(204).end();
  });

  documentedRoute(router, {
    method: 'get', path: '/api/v1/me', tags: ['auth'],
    summary: 'The logged-in user and the businesses they belong to',
    responses: { 200: MeSchema },
  }, [authenticate(deps)], async (req, res) => {
    const auth = userOf(req);
    const [user, memberships] = await Promise.all([
      deps.models.User.findById(auth.userId, { email: 1, name: 1, platformRole: 1 }).lean(),
      deps.models.Membership.find({ userId: auth.userId }, { businessId: 1, role: 1 }).lean(),
    ]);
    if (!user) throw new AppError(401, 'unauthorized', 'Authentication required', 'This account no longer exists.');
    const businesses = await deps.models.Business.find({ _id: { $in: memberships.map((m) => m.businessId) } }, { name: 1 }).lean();
    const nameOf = new Map(businesses.map((b) => [b._id, b.name]));
    res.json({
      user: { id: user._id, email: user.email, name: user.name ?? null, platformRole: user.platformRole ?? null },
      memberships: memberships.map((m) => ({ businessId: m.businessId, businessName: nameOf.get(m.businessId) ?? null, role: m.role })),
    });
  });

  return router;
};
