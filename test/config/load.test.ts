import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDisabledIntegrations, loadConfig } from '../../config/load.js';
import { plaintextConnectionWarnings, PROVIDER_URL_KEYS } from '../../config/transport.js';

const key = () => `k1:${randomBytes(32).toString('base64')}`;
/** The smallest production environment that loads. */
const production = (env: Record<string, string> = {}): Record<string, string> => ({
  NODE_ENV: 'production',
  ENCRYPTION_KEY: key(),
  PUBLIC_URL: 'https://app.luxleads.ai',
  OPS_TOKEN: 'x'.repeat(32),
  PRIVACY_CONTACT_EMAIL: 'privacy@luxleads.ai',
  COMPLIANCE_EMAIL: 'compliance@luxleads.ai',
  ...env,
});

describe('loadConfig', () => {
  it('applies defaults and parses the key ring', () => {
    const c = loadConfig({ ENCRYPTION_KEY: `${key()},old:${randomBytes(32).toString('base64')}` });
    expect(c.PORT).toBe(3000);
    expect(c.CONVERSATION_RETENTION_DAYS).toBe(90);
    expect(c.META_GRAPH_URL).toBe('https://graph.facebook.com');
    expect(c.ENCRYPTION_KEY.map((k) => k.id)).toEqual(['k1', 'old']);
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'abc', ENCRYPTION_KEY: 'k1:tooshort', MONGODB_URI: 'postgres://x', META_GRAPH_VERSION: '25' });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const keys = (err as ConfigError).problems.map((p) => p.key).sort();
      expect(keys).toEqual(['ENCRYPTION_KEY', 'META_GRAPH_VERSION', 'MONGODB_URI', 'PORT']);
      expect((err as Error).message).toMatch(/see \.env\.example/);
    }
  });

  it('refuses a history retention that leaves no time before the conversation purge', () => {
    expect(loadConfig({ ENCRYPTION_KEY: key() }).TEMPORAL_HISTORY_RETENTION_HOURS).toBe(24);
    expect(() => loadConfig({ ENCRYPTION_KEY: key(), CONVERSATION_RETENTION_DAYS: '1', TEMPORAL_HISTORY_RETENTION_HOURS: '24' })).toThrow(
      /TEMPORAL_HISTORY_RETENTION_HOURS: must be shorter than CONVERSATION_RETENTION_DAYS/,
    );
  });

  it('treats empty values as unset, as a copied .env.example has them', () => {
    expect(loadConfig({ ENCRYPTION_KEY: key(), MONGODB_URI: '', OPENAI_API_KEY: ' ' }).OPENAI_API_KEY).toBeUndefined();
  });

  it('requires an encryption key, and https plus an ops token and a privacy contact in production', () => {
    expect(() => loadConfig({})).toThrow(/ENCRYPTION_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: key() })).toThrow(
      /PUBLIC_URL[\s\S]*OPS_TOKEN[\s\S]*PRIVACY_CONTACT_EMAIL/,
    );
    expect(loadConfig(production()).NODE_ENV).toBe('production');
  });

  it('refuses to start in production without COMPLIANCE_EMAIL, the inbox privacy requests escalate to', () => {
    const { COMPLIANCE_EMAIL: _unset, ...withoutIt } = production();
    try {
      loadConfig(withoutIt);
      expect.fail('production started without COMPLIANCE_EMAIL');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        { key: 'COMPLIANCE_EMAIL', message: expect.stringContaining('day 21 and day 30') as string },
      ]);
    }
    expect(() => loadConfig(production({ COMPLIANCE_EMAIL: 'not an address' }))).toThrow(/COMPLIANCE_EMAIL/);
    expect(loadConfig(production()).COMPLIANCE_EMAIL).toBe('compliance@luxleads.ai');
    expect(loadConfig({ ENCRYPTION_KEY: key() }).COMPLIANCE_EMAIL).toBe('compliance@luxleads.local');
  });

  it('refuses a non-https provider base URL in production and says what to set', () => {
    for (const urlKey of ['META_GRAPH_URL', 'OPENAI_BASE_URL', 'STRIPE_API_URL', 'RESEND_BASE_URL']) {
      try {
        loadConfig(production({ [urlKey]: 'http://provider.internal:8080' }));
        expect.fail(`${urlKey} over http was accepted`);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems).toEqual([
          { key: urlKey, message: expect.stringContaining(`set ${urlKey}=https://`) as string },
        ]);
      }
      // The local fakes speak http: only production refuses.
      expect(loadConfig({ ENCRYPTION_KEY: key(), [urlKey]: 'http://127.0.0.1:3901' })).toBeDefined();
    }
    expect(PROVIDER_URL_KEYS.map((p) => p.key)).toEqual(['META_GRAPH_URL', 'OPENAI_BASE_URL', 'STRIPE_API_URL', 'RESEND_BASE_URL']);
  });

  it('warns in production about plain-text MongoDB and Temporal connections, unless on loopback or opted out', () => {
    const warnings = (env: Record<string, string>) => plaintextConnectionWarnings(loadConfig(production(env)));
    const remote = { MONGODB_URI: 'mongodb://app:pw@db1.internal:27017,db2.internal/luxleads', TEMPORAL_ADDRESS: 'temporal.internal:7233' };
    const both = warnings(remote);
    expect(both).toHaveLength(2);
    expect(both[0]).toMatch(/MONGODB_URI.*tls=true.*ALLOW_PLAINTEXT_PRIVATE_NETWORK=true/);
    expect(both[1]).toMatch(/TEMPORAL_ADDRESS.*TEMPORAL_TLS=true.*ALLOW_PLAINTEXT_PRIVATE_NETWORK=true/);
    expect(warnings({ ...remote, ALLOW_PLAINTEXT_PRIVATE_NETWORK: 'true' })).toEqual([]);
    expect(
      warnings({
        MONGODB_URI: 'mongodb://db1.internal/luxleads?tls=true',
        TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
        TEMPORAL_API_KEY: 'k',
      }),
    ).toEqual([]);
    expect(
      warnings({
        MONGODB_URI: 'mongodb+srv://app:pw@cluster0.example.mongodb.net/luxleads',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_TLS: 'true',
      }),
    ).toEqual([]);
    expect(warnings({ MONGODB_URI: 'mongodb+srv://cluster0.example.mongodb.net/luxleads?tls=false' })).toHaveLength(1);
    expect(warnings({ MONGODB_URI: 'mongodb://127.0.0.1:27017/luxleads', TEMPORAL_ADDRESS: 'localhost:7233' })).toEqual([]);
    expect(plaintextConnectionWarnings(loadConfig({ ENCRYPTION_KEY: key(), ...remote }))).toEqual([]);
  });

  it('parses the company identity the public pages and emails show', () => {
    const c = loadConfig({ ENCRYPTION_KEY: key() });
    expect([c.COMPANY_NAME, c.COMPANY_ADDRESS, c.PRIVACY_CONTACT_EMAIL]).toEqual(['LuxLeads AI', undefined, 'privacy@luxleads.local']);
    expect(() => loadConfig({ ENCRYPTION_KEY: key(), PRIVACY_CONTACT_EMAIL: 'not an address' })).toThrow(/PRIVACY_CONTACT_EMAIL/);
  });

  it('says which integrations are off and how to switch them on, without failing', () => {
    const lines = describeDisabledIntegrations(loadConfig({ ENCRYPTION_KEY: key() }));
    expect(lines.join('\n')).toMatch(/OPENAI_API_KEY/);
    expect(lines.join('\n')).toMatch(/WHATSAPP_ACCESS_TOKEN/);
  });
});

describe('process start in production', () => {
  it('logs the plain-text connection warning once per process, as a warning', () => {
    const env = { PATH: process.env.PATH, ...production({ MONGODB_URI: 'mongodb://db1.internal:27017/luxleads' }) };
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "(await import('./config/boot.ts')).bootProcess('boot-test')"],
      {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const security = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; security?: boolean; msg: string })
      .filter((l) => l.security);
    expect(security).toHaveLength(1);
    expect(security[0]).toMatchObject({ level: 40, msg: expect.stringMatching(/^SECURITY: the MongoDB connection/) as string });
  });
});

describe('process start with bad config', () => {
  it('exits non-zero and names the variables', () => {
    for (const entry of ['api/main.ts', 'worker/main.ts']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', entry], {
        env: { PATH: process.env.PATH, PORT: 'abc', ENCRYPTION_KEY: 'nope' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).toBe(78);
      expect(r.stderr).toMatch(/PORT/);
      expect(r.stderr).toMatch(/ENCRYPTION_KEY/);
    }
  });
});
