import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDisabledIntegrations, loadConfig } from '../../config/load.js';

const key = () => `k1:${randomBytes(32).toString('base64')}`;

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

  it('treats empty values as unset, as a copied .env.example has them', () => {
    expect(loadConfig({ ENCRYPTION_KEY: key(), MONGODB_URI: '', OPENAI_API_KEY: ' ' }).OPENAI_API_KEY).toBeUndefined();
  });

  it('requires an encryption key, and https plus an ops token in production', () => {
    expect(() => loadConfig({})).toThrow(/ENCRYPTION_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: key() })).toThrow(/PUBLIC_URL[\s\S]*OPS_TOKEN/);
    expect(
      loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: key(), PUBLIC_URL: 'https://app.luxleads.ai', OPS_TOKEN: 'x'.repeat(32) })
        .NODE_ENV,
    ).toBe('production');
  });

  it('says which integrations are off and how to switch them on, without failing', () => {
    const lines = describeDisabledIntegrations(loadConfig({ ENCRYPTION_KEY: key() }));
    expect(lines.join('\n')).toMatch(/OPENAI_API_KEY/);
    expect(lines.join('\n')).toMatch(/WHATSAPP_ACCESS_TOKEN/);
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
