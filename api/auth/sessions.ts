/**
 * Login sessions as families of rotating refresh tokens. Each refresh token is one Session document whose
 * _id is the token's SHA-256; all tokens of one login share `sessionId`. Presenting a token that was
 * already rotated (or revoked) means it leaked: the whole family is revoked.
 */
import type { Models } from '../../db/models/index.js';
import { randomToken } from '../../lib/crypto.js';
import { createTtlCache } from '../../lib/ttl-cache.js';
import { sha256Hex } from './access-tokens.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How long a "session is live" answer may be reused; bounds how late a logout takes effect on other replicas. */
export const SESSION_CHECK_CACHE_MS = 5_000;

export type IssuedSession = { sessionId: string; userId: string; refreshToken: string; refreshExpiresAt: Date };
export type RotateResult = { kind: 'rotated'; session: IssuedSession } | { kind: 'invalid' } | { kind: 'reused' };
export type SessionState = { isLive: boolean; platformRole?: 'support' | 'compliance' | 'admin' };

const SESSION_CACHE_ENTRIES = 10_000;

export const createSessionStore = (models: Models, cacheMs = SESSION_CHECK_CACHE_MS) => {
  const cache = createTtlCache<SessionState>(SESSION_CACHE_ENTRIES);

  const issueToken = async (sessionId: string, userId: string): Promise<IssuedSession> => {
    const refreshToken = randomToken(32, 'lr_');
    const refreshExpiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    await models.Session.create({ _id: sha256Hex(refreshToken), sessionId, userId, expiresAt: refreshExpiresAt });
    return { sessionId, userId, refreshToken, refreshExpiresAt };
  };

  const revoke = async (sessionId: string) => {
    cache.delete(sessionId);
    await models.Session.updateMany({ sessionId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
  };

  /** Ends every login of the user (log out everywhere, password reset), or every one but `keep` (password change). */
  const revokeAllOf = async (userId: string, keep?: string) => {
    const filter = { userId, revokedAt: { $exists: false }, ...(keep ? { sessionId: { $ne: keep } } : {}) };
    const live = await models.Session.find(filter, { sessionId: 1 }).lean();
    for (const s of live) cache.delete(s.sessionId);
    await models.Session.updateMany(filter, { $set: { revokedAt: new Date() } });
  };

  return {
    start: (userId: string) => issueToken(randomToken(16, 'ses_'), userId),
    revoke,
    revokeAllOf,

    async rotate(refreshToken: string): Promise<RotateResult> {
      const hash = sha256Hex(refreshToken);
      const current = await models.Session.findById(hash).lean();
      if (!current) return { kind: 'invalid' };
      if (current.revokedAt || current.rotatedTo) {
        await revoke(current.sessionId);
        return { kind: 'reused' };
      }
      if (current.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };
      const next = randomToken(32, 'lr_');
      const nextHash = sha256Hex(next);
      // Claim the rotation atomically: of two concurrent refreshes with one token, only one wins.
      const claimed = await models.Session.updateOne(
        { _id: hash, rotatedTo: { $exists: false }, revokedAt: { $exists: false } },
        { $set: { rotatedTo: nextHash } },
      );
      if (claimed.modifiedCount !== 1) {
        await revoke(current.sessionId);
        return { kind: 'reused' };
      }
      const refreshExpiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
      await models.Session.create({ _id: nextHash, sessionId: current.sessionId, userId: current.userId, expiresAt: refreshExpiresAt });
      return { kind: 'rotated', session: { sessionId: current.sessionId, userId: current.userId, refreshToken: next, refreshExpiresAt } };
    },

    /** Is the login still valid, and what platform role does its user hold now (cached briefly). */
    async state(sessionId: string, userId: string): Promise<SessionState> {
      const hit = cache.get(sessionId);
      if (hit) return hit;
      const [live, user] = await Promise.all([
        models.Session.exists({ sessionId, userId, revokedAt: { $exists: false }, expiresAt: { $gt: new Date() } }),
        models.User.findById(userId, { platformRole: 1 }).lean(),
      ]);
      const state: SessionState = { isLive: Boolean(live && user), ...(user?.platformRole ? { platformRole: user.platformRole } : {}) };
      cache.set(sessionId, state, cacheMs);
      return state;
    },
  };
};

export type SessionStore = ReturnType<typeof createSessionStore>;
