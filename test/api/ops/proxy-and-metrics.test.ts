/**
 * Two deployment facts of the API: which proxy may name the client's address (TRUST_PROXY, so per-IP limits
 * see real clients behind a load balancer and cannot be dodged by a forged header), and /metrics being ops-only.
 */
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config/load.js';
import { bearer } from '../../helpers/accounts.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

const OPS_TOKEN = 'ops-token-for-metrics-0123456789';
const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

/** The client address Express derives for a request that arrived from `peer` with X-Forwarded-For `xff`. */
const clientIpOf = async (trustProxy: string | undefined, xff: string) => {
  const config = loadConfig({ ENCRYPTION_KEY: KEY, ...(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }) });
  const app = express()
    .set('trust proxy', config.TRUST_PROXY)
    .get('/ip', (req, res) => void res.json({ ip: req.ip }));
  return (await request(app).get('/ip').set('X-Forwarded-For', xff)).body.ip as string;
};

describe('TRUST_PROXY', () => {
  it('trusts only the loopback proxy by default (supertest connects from loopback)', async () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).TRUST_PROXY).toBe('loopback');
    expect(await clientIpOf(undefined, '203.0.113.9')).toBe('203.0.113.9');
  });

  it('takes a hop count, a list of proxies, or false', async () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ENCRYPTION_KEY: KEY, TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toBe('10.0.0.0/8,loopback');
    expect(await clientIpOf('1', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    // Not trusted: the forged header is ignored and the peer's own address counts.
    expect(await clientIpOf('false', '203.0.113.9')).toMatch(/127\.0\.0\.1|::1/);
  });

  it('refuses "true" (anyone could then choose their own address) and nonsense, naming the key', () => {
    for (const bad of ['true', 'everyone', '10.0.0.0/8,,evil host']) {
      expect(() => loadConfig({ ENCRYPTION_KEY: KEY, TRUST_PROXY: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ENCRYPTION_KEY: KEY, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('/metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('ops-metrics', { startWorker: false, env: { OPS_TOKEN } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('answers only with the ops token', async () => {
    expect((await request(h.app).get('/metrics')).status).toBe(401);
    expect((await request(h.app).get('/metrics').set(bearer('not-the-token'))).status).toBe(401);
    const ok = await request(h.app).get('/metrics').set(bearer(OPS_TOKEN));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('luxleads_http_request_duration_seconds');
  });
});
