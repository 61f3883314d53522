/**
 * Everything the auth middleware and auth routes need. createApp builds it once and hands it to every router
 * that authenticates, so they share one session cache: a logout then takes effect at once in this process.
 */
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { EmailConfig } from '../../integrations/email.js';
import type { Logger } from '../../lib/logger.js';
import type { EmailOutbox } from '../../starters/emails.js';
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

export type AuthConfig = Pick<Config, 'ENCRYPTION_KEY' | 'PUBLIC_URL'> & EmailConfig;

/** `outbox`: where account emails are queued (createApp: the background sender); absent, nothing is mailed. */
export const createAuthDeps = (config: AuthConfig, models: Models, log: Logger, outbox?: EmailOutbox): AuthDeps => ({
  models,
  tokens: createAccessTokens(config.ENCRYPTION_KEY),
  sessions: createSessionStore(models),
  apiKeys: createApiKeyVerifier(models),
  accountTokens: createAccountTokens(models),
  loginThrottle: createLoginThrottle(models),
  mailer: createAccountMailer({ outbox, publicUrl: config.PUBLIC_URL, log }),
  log,
});
