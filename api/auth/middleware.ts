/**
 * Who is calling (authenticate) and may they touch this business (requireBusiness). A business the caller
 * cannot access answers 404, exactly like one that does not exist, so other tenants' ids are never confirmed.
 */
import type { Request, RequestHandler } from 'express';
import { writeAudit } from '../../domain/audit.js';
import { forbidden, notFound, unauthorized } from '../errors.js';
import { isApiKeyShaped } from './api-key-secrets.js';
import type { AuthDeps } from './deps.js';

export type PlatformRole = 'support' | 'compliance' | 'admin';
export type AuthContext =
  | { kind: 'user'; userId: string; sessionId: string; platformRole?: PlatformRole }
  | { kind: 'api_key'; apiKeyId: string; businessId: string };
export type BusinessAccess = { businessId: string; role: 'owner' | 'member' | 'platform'; via: 'membership' | 'platform' | 'api_key' };

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
    business?: BusinessAccess;
  }
}

const bearerOf = (req: Request) => {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S{10,512})$/i.exec(header.trim()) : null;
  return match?.[1];
};

/** Bearer access token or API key → req.auth; anything else is a 401 problem. */
export const authenticate =
  (deps: AuthDeps): RequestHandler =>
  async (req, _res, next) => {
    const token = bearerOf(req);
    if (!token) throw unauthorized();
    if (isApiKeyShaped(token)) {
      const key = await deps.apiKeys.verify(token);
      if (!key) throw unauthorized('This API key is unknown or revoked.');
      req.auth = { kind: 'api_key', ...key };
      return next();
    }
    const claims = deps.tokens.verify(token);
    if (!claims) throw unauthorized('The access token is invalid or expired; refresh it with POST /api/v1/auth/refresh.');
    const state = await deps.sessions.state(claims.sessionId, claims.userId);
    if (!state.isLive) throw unauthorized('This session has ended; log in again.');
    req.auth = {
      kind: 'user',
      userId: claims.userId,
      sessionId: claims.sessionId,
      ...(state.platformRole ? { platformRole: state.platformRole } : {}),
    };
    next();
  };

export const routeOf = (req: Request) => `${req.baseUrl}${(req.route?.path as string | undefined) ?? req.path}`;

/**
 * Resolves req.params.businessId against the caller. Members, owners and the business's own API keys
 * pass (API keys act with member rights); platform staff pass only where the route allows it, and every
 * such access is written to the audit trail. A caller with access but too low a role gets 403.
 */
export const requireBusiness =
  (deps: AuthDeps, opts: { minRole?: 'owner' | 'member'; allowPlatform?: boolean } = {}): RequestHandler =>
  async (req, _res, next) => {
    const auth = req.auth;
    if (!auth) throw unauthorized();
    const businessId = req.params.businessId;
    if (typeof businessId !== 'string' || !businessId) throw notFound('business');
    const needsOwner = opts.minRole === 'owner';

    if (auth.kind === 'api_key') {
      if (auth.businessId !== businessId || !(await deps.models.Business.exists({ _id: businessId }))) throw notFound('business');
      if (needsOwner) throw forbidden('API keys act with member rights; this needs an owner logged in.');
      req.business = { businessId, role: 'member', via: 'api_key' };
      return next();
    }

    const [membership, exists] = await Promise.all([
      deps.models.Membership.findOne({ userId: auth.userId, businessId }, { role: 1 }).lean(),
      deps.models.Business.exists({ _id: businessId }),
    ]);
    if (!exists) throw notFound('business');
    if (membership) {
      if (needsOwner && membership.role !== 'owner') throw forbidden('Only an owner of this business can do this.');
      req.business = { businessId, role: membership.role, via: 'membership' };
      return next();
    }
    if (opts.allowPlatform && auth.platformRole) {
      await writeAudit(deps.models, {
        actorType: 'platform',
        actorId: auth.userId,
        actorRole: auth.platformRole,
        businessId,
        action: req.method === 'GET' || req.method === 'HEAD' ? 'platform.read_business' : 'platform.write_business',
        details: { method: req.method, route: routeOf(req) },
      });
      req.business = { businessId, role: 'platform', via: 'platform' };
      return next();
    }
    throw notFound('business');
  };

/** Platform-only routes (support tooling, compliance exports): the user must hold one of `roles`. */
export const requirePlatformRole =
  (_deps: AuthDeps, roles: PlatformRole[]): RequestHandler =>
  (req, _res, next) => {
    const auth = req.auth;
    if (!auth) throw unauthorized();
    if (auth.kind !== 'user' || !auth.platformRole || !roles.includes(auth.platformRole))
      throw forbidden(`This needs a LuxLeads staff role: ${roles.join(', ')}.`);
    next();
  };

/** The authenticated user, for routes mounted behind authenticate() that only users (not API keys) may call. */
export const userOf = (req: Request) => {
  const auth = req.auth;
  if (auth?.kind !== 'user') throw forbidden('This endpoint needs a logged-in user, not an API key.');
  return auth;
};
