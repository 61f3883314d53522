/**
 * Local-only conveniences so `npm start` works with no env at all: a generated encryption key,
 * Meta app secret and verify token, persisted under the data folder so restarts keep them.
 * Never used when NODE_ENV=production.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type DevSecrets = {
  ENCRYPTION_KEY: string;
  META_APP_ID: string;
  META_APP_SECRET: string;
  META_VERIFY_TOKEN: string;
  OPS_TOKEN: string;
};

export const devSecretsPath = (dataDir: string) => join(dataDir, 'dev-secrets.json');

export const loadOrCreateDevSecrets = (dataDir: string): DevSecrets => {
  const file = devSecretsPath(dataDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = {
    ENCRYPTION_KEY: `dev1:${randomBytes(32).toString('base64')}`,
    META_APP_ID: '1000000000000001',
    META_APP_SECRET: randomBytes(24).toString('hex'),
    META_VERIFY_TOKEN: randomBytes(12).toString('hex'),
    OPS_TOKEN: randomBytes(24).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
};

/** The env a local process should run with: explicit values win over generated ones. */
export const withDevDefaults = (env: NodeJS.ProcessEnv, dataDir: string): NodeJS.ProcessEnv => {
  if (env.NODE_ENV === 'production') return env;
  const secrets = loadOrCreateDevSecrets(dataDir);
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(secrets)) if (!merged[k]) merged[k] = v;
  return merged;
};
