/**
 * Business API keys: `lk_<prefix>_<secret>`, shown once, stored only as a SHA-256 hash. The prefix is
 * kept in clear so owners can tell keys apart in the list. Lookups are cached briefly (revocation ≤ 5 s).
 */
import { randomBytes } from 'node:crypto';
import type { Models } from '../../db/models/index.js';
import { createTtlCache } from '../../lib/ttl-cache.js';
import { sha256Hex } from './access-tokens.js';

const API_KEY_PATTERN = /^lk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;
const CACHE_MS = 5_000;
const CACHE_ENTRIES = 10_000;
/** lastUsedAt is a hint for owners, not an access log; writing it at most once a minute keeps reads cheap. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const isApiKeyShaped = (token: string) => token.startsWith('lk_');

export const generateApiKey = () => {
  const prefix = randomBytes(4).toString('hex');
  const key = `lk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256Hex(key) };
};

export type ApiKeyIdentity = { apiKeyId: string; businessId: string };

export const createApiKeyVerifier = (models: Models, cacheMs = CACHE_MS) => {
  const cache = createTtlCache<ApiKeyIdentity | null>(CACHE_ENTRIES);
  return {
    async verify(key: string): Promise<ApiKeyIdentity | null> {
      if (!API_KEY_PATTERN.test(key)) return null;
      const hash = sha256Hex(key);
      const hit = cache.get(hash);
      if (hit !== undefined) return hit;
      const doc = await models.ApiKey.findOne({ hash, revokedAt: { $exists: false } }, { businessId: 1, lastUsedAt: 1 }).lean();
      const value = doc ? { apiKeyId: doc._id, businessId: doc.businessId } : null;
      if (doc && (!doc.lastUsedAt || Date.now() - doc.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS)) {
        await models.ApiKey.updateOne({ _id: doc._id }, { $set: { lastUsedAt: new Date() } });
      }
      cache.set(hash, value, cacheMs);
      return value;
    },
    /** Called on revoke so this replica stops accepting the key at once. */
    forget: () => cache.clear(),
  };
};

export type ApiKeyVerifier = ReturnType<typeof createApiKeyVerifier>;
