/**
 * The web app's login that survives a reload without JavaScript ever holding a long-lived secret: the refresh
 * token from login/sign-up is handed over once and rotated at once; the new one lives only in an httpOnly,
 * SameSite=Strict cookie scoped to these routes, and each refresh rotates it again (sessions.ts: reuse of an old
 * one ends the session). Access tokens stay in the page's memory. A custom header is required on every call,
 * so another site cannot make a browser call these routes without a CORS preflight, which this API never grants.
 */
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuthDeps } from '../auth/deps.js';
import { sha256Hex } from '../auth/access-tokens.js';
import type { IssuedSession } from '../auth/sessions.js';
import { AppError } from '../errors.js';
import { createRateLimiter } from '../../lib/rate-limit.js';
import { cookieValue } from '../meta-connect/oauth-state.js';
import { documentedRoute } from '../openapi/route.js';
import { RefreshSchema } from '../schemas/auth.js';
import { ipOf, take } from './auth-limits.js';

export const WEB_SESSION_PATH = '/api/v1/auth/web-session';
export const WEB_SESSION_COOKIE = 'luxleads_session';
/** The header the web app sends on every call here: a cross-site form or image cannot set it. */
export const WEB_APP_HEADER = 'x-luxleads-app';

const TAGS = ['auth'];

export const WebSessionSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  refreshExpiresAt: z.string().describe('when the login ends unless refreshed before'),
});
const NoBodySchema = z.strictObject({});

const requireAppHeader = (req: Request) => {
  if (req.get(WEB_APP_HEADER) !== '1')
    throw new AppError(403, 'forbidden', 'Not allowed', `Send the header ${WEB_APP_HEADER}: 1 (the LuxLeads web app does).`);
};

const sessionEnded = () =>
  new AppError(401, 'invalid-refresh-token', 'Not logged in', 'This browser has no live LuxLeads login; log in again.');

export const webSessionRouter = (deps: AuthDeps, opts: { secureCookie: boolean }) => {
  const router = Router();
  const json = express.json({ limit: '4kb' });
  const perIp = createRateLimiter({ capacity: 60, refillPerSecond: 1 });

  const setCookie = (res: Response, s: IssuedSession) =>
    res.cookie(WEB_SESSION_COOKIE, s.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookie,
      path: WEB_SESSION_PATH,
      expires: s.refreshExpiresAt,
    });
  const clearCookie = (res: Response) =>
    res.clearCookie(WEB_SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: opts.secureCookie, path: WEB_SESSION_PATH });

  /** Rotates `refreshToken`; the new one goes into the cookie, the access token into the body. */
  const rotateInto = async (res: Response, refreshToken: string) => {
    const result = await deps.sessions.rotate(refreshToken);
    if (result.kind !== 'rotated') {
      clearCookie(res);
      throw sessionEnded();
    }
    const access = deps.tokens.issue(result.session.userId, result.session.sessionId);
    setCookie(res, result.session);
    res.setHeader('cache-control', 'no-store');
    res.json({
      accessToken: access.token,
      tokenType: 'Bearer' as const,
      expiresIn: access.expiresIn,
      refreshExpiresAt: result.session.refreshExpiresAt.toISOString(),
    });
  };

  documentedRoute(
    router,
    {
      method: 'post',
      path: WEB_SESSION_PATH,
      tags: TAGS,
      auth: 'none',
      summary: 'Web app: keep this login in an httpOnly cookie (the refresh token sent is rotated at once)',
      description: `Send the refresh token from login or sign-up once, with the header \`${WEB_APP_HEADER}: 1\`. It stops working; its successor is set as an httpOnly, SameSite=Strict cookie that only these routes receive.`,
      body: RefreshSchema,
      responses: { 200: WebSessionSchema, 401: 'The refresh token is unknown, expired or was already used.' },
    },
    [json],
    async (req, res, { body }) => {
      requireAppHeader(req);
      take(perIp, ipOf(req));
      await rotateInto(res, body.refreshToken);
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${WEB_SESSION_PATH}/refresh`,
      tags: TAGS,
      auth: 'none',
      summary: 'Web app: a new access token from the login cookie (the cookie is rotated)',
      body: NoBodySchema,
      responses: { 200: WebSessionSchema, 401: 'No live login in this browser.' },
    },
    [json],
    async (req, res) => {
      requireAppHeader(req);
      take(perIp, ipOf(req));
      const token = cookieValue(req.get('cookie'), WEB_SESSION_COOKIE);
      if (!token) throw sessionEnded();
      await rotateInto(res, token);
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: WEB_SESSION_PATH,
      tags: TAGS,
      auth: 'none',
      summary: 'Web app: log out this browser (ends the login behind the cookie and clears it)',
      responses: { 204: 'Logged out (also when there was no login).' },
    },
    [],
    async (req, res) => {
      requireAppHeader(req);
      const token = cookieValue(req.get('cookie'), WEB_SESSION_COOKIE);
      const row = token ? await deps.models.Session.findById(sha256Hex(token), { sessionId: 1 }).lean() : null;
      if (row) await deps.sessions.revoke(row.sessionId);
      clearCookie(res);
      res.status(204).end();
    },
  );

  return router;
};
