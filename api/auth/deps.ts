/**
 * Everything the auth middleware and auth routes need, built once per models instance so every router
 * (ours and other teams') shares one session cache: a logout then takes effect at once in this process.
 */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { Logger } from '../../lib/logger.js';
import { createAccessTokens, type AccessTokens } from './access-tokens.js';
import { createApiKeyVerifier, type ApiKeyVerifier } from './api-key-secrets.js';
import { createSessionStore, type SessionStore } from './sessions.js';

export type AuthDeps = { models: Models; tokens: AccessTokens; sessions: SessionStore; apiKeys: ApiKeyVerifier; log: Logger };

const built = new WeakMap<Models, AuthDeps>();

export const createAuthDeps = (config: Pick<Config, 'ENCRYPTION_KEY'>, models: Models, log: Logger): AuthDeps => {
  const existing = built.get(models);
  if (existing) return existing;
  const deps: AuthDeps = {
    models,
    tokens: createAccessTokens(config.ENCRYPTION_KEY),
    sessions: createSessionStore(models),
    apiKeys: createApiKeyVerifier(models),
    log,
  };
  built.set(models, deps);
  return deps;
};
