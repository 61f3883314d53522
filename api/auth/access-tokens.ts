/**
 * Short-lived access tokens: `la1.<keyId>.<payload>.<mac>`, HMAC-SHA256 with a key derived (HKDF) from the
 * active ENCRYPTION_KEY. Stateless to verify; revocation is enforced by the session check in the middleware.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../../lib/crypto.js';

const FORMAT = 'la1';
const LABEL = 'luxleads/access-token/v1';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export type AccessClaims = { userId: string; sessionId: string; expiresAt: number };

export type AccessTokens = {
  issue: (userId: string, sessionId: string, now?: number) => { token: string; expiresIn: number };
  verify: (token: string, now?: number) => AccessClaims | null;
};

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export const createAccessTokens = (ring: KeyRing, ttlSeconds = ACCESS_TOKEN_TTL_SECONDS): AccessTokens => {
  // A distinct derived key per ring entry: a leaked MAC key can never decrypt data, and rotation keeps old tokens valid.
  const macKeys = new Map(ring.map((k) => [k.id, Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), LABEL, 32))]));
  const active = ring[0];
  if (!active) throw new Error('encryption key ring is empty');
  const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();

  return {
    issue(userId, sessionId, now = Date.now()) {
      const exp = Math.floor(now / 1000) + ttlSeconds;
      const payload = Buffer.from(JSON.stringify({ sub: userId, sid: sessionId, exp })).toString('base64url');
      const signed = `${FORMAT}.${active.id}.${payload}`;
      return { token: `${signed}.${mac(macKeys.get(active.id)!, signed).toString('base64url')}`, expiresIn: ttlSeconds };
    },
    verify(token, now = Date.now()) {
      const parts = token.split('.');
      if (parts.length !== 4 || parts[0] !== FORMAT) return null;
      const [, keyId, payload, signature] = parts as [string, string, string, string];
      const key = macKeys.get(keyId);
      if (!key) return null;
      const expected = mac(key, `${FORMAT}.${keyId}.${payload}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; sid?: unknown; exp?: unknown };
        if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') return null;
        if (claims.exp * 1000 <= now) return null;
        return { userId: claims.sub, sessionId: claims.sid, expiresAt: claims.exp * 1000 };
      } catch {
        return null;
      }
    },
  };
};
