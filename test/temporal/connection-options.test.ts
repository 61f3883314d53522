import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/load.js';
import { temporalConnectionOptions } from '../../temporal/connection-options.js';

const dir = mkdtempSync(join(tmpdir(), 'luxleads-temporal-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pem = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, `-----BEGIN ${body}-----\nMIIB\n-----END ${body}-----\n`);
  return path;
};
const config = (env: Record<string, string>) => loadConfig({ ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`, ...env });

describe('Temporal connection settings', () => {
  it('connects in plain text to a local dev server by default', () => {
    expect(temporalConnectionOptions(config({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('uses TLS and the API key for Temporal Cloud', () => {
    const options = temporalConnectionOptions(config({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'cloud-key' }));
    expect(options).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'cloud-key' });
  });

  it('reads the client certificate, its key and a private CA for mTLS', () => {
    const crt = pem('client.pem', 'CERTIFICATE');
    const key = pem('client.key', 'PRIVATE KEY');
    const ca = pem('ca.pem', 'CERTIFICATE');
    const options = temporalConnectionOptions(
      config({ TEMPORAL_TLS_CERT_PATH: crt, TEMPORAL_TLS_KEY_PATH: key, TEMPORAL_TLS_CA_PATH: ca }),
    );
    expect(options.tls).not.toBe(true);
    const tls = options.tls as { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate: Buffer };
    expect(tls.clientCertPair.crt.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls.clientCertPair.key.toString()).toContain('BEGIN PRIVATE KEY');
    expect(tls.serverRootCACertificate.toString()).toContain('BEGIN CERTIFICATE');
    expect(options.apiKey).toBeUndefined();
  });

  it('names the variable whose file cannot be read', () => {
    const c = config({ TEMPORAL_TLS_CERT_PATH: join(dir, 'missing.pem'), TEMPORAL_TLS_KEY_PATH: pem('k.key', 'PRIVATE KEY') });
    expect(() => temporalConnectionOptions(c)).toThrow(/TEMPORAL_TLS_CERT_PATH: cannot read .*missing\.pem \(ENOENT\)/);
  });

  it('refuses a certificate without its key at start-up', () => {
    try {
      config({ TEMPORAL_TLS_CERT_PATH: pem('only.pem', 'CERTIFICATE') });
      expect.unreachable('config should have been refused');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.key)).toEqual(['TEMPORAL_TLS_KEY_PATH']);
    }
  });
});
