/**
 * Everything the auth middleware and auth routes need, built once per models instance so every router
 * (ours and other teams') shares one session cache: a logout then takes effect at once in this process.
 */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import { createEmailSender } from '../../integrations/email.js';
import type { Logger } from '../../lib/logger.js';
import { createAccessTokens, type AccessTokens } from './access-tokens.js';
import { createAccountMailer, type AccountMailer } from './account-emails.js';
import { createAccountTokens, type AccountTokens } from './account-tokens.js';
import { createApiKeyVerifier, type ApiKeyVerifier } from './api-key-secrets.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { createSessionStore, type SessionStore } from './sessions.js';

export type AuthDeps = {
  models: Models;
  tokens: AccessTokens;
  sessions: SessionStore;
  apiKeys: ApiKeyVerifier;
  accountTokens: AccountTokens;
  loginThrottle: LoginThrottle;
  mailer: AccountMailer;
  log: Logger;
};

export type AuthConfig = Pick<
  Config,
  'ENCRYPTION_KEY' | 'PUBLIC_URL' | 'RESEND_API_KEY' | 'RESEND_BASE_URL' | 'RESEND_TIMEOUT_MS' | 'EMAIL_FROM'
>;

const built = new WeakMap<Models, AuthDeps>();

export const createAuthDeps = (config: AuthConfig, models: Models, log: Logger): AuthDeps => {
  const existing = built.get(models);
  if (existing) return existing;
  const sender = config.RESEND_API_KEY
    ? createEmailSender({
        apiKey: config.RESEND_API_KEY,
        baseUrl: config.RESEND_BASE_URL,
        timeoutMs: config.RESEND_TIMEOUT_MS,
        from: config.EMAIL_FROM,
      })
    : undefined;
  const deps: AuthDeps = {
    models,
    tokens: createAccessTokens(config.ENCRYPTION_KEY),
    sessions: createSessionStore(models),
    apiKeys: createApiKeyVerifier(models),
    accountTokens: createAccountTokens(models),
    loginThrottle: createLoginThrottle(models),
    mailer: createAccountMailer({ sender, publicUrl: config.PUBLIC_URL, log }),
    log,
  };
  built.set(models, deps);
  return deps;
};
