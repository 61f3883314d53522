import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookUrlSchema } from '../../api/lead-webhooks/schemas.js';
import { createAuthDeps } from '../../api/auth/deps.js';
import { errorHandler } from '../../api/errors.js';
import { leadWebhooksRouter } from '../../api/routes/lead-webhooks.js';
import type { ResolveHost } from '../../lib/outbound-target.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const base = (businessId: string) => `/api/v1/businesses/${businessId}/lead-webhooks`;

const fakeDns: ResolveHost = async (hostname) => {
  const answers: Record<string, string> = {
    'crm.internal.test': '10.1.2.3',
    'crm.metadata.test': '169.254.169.254',
    'crm.public.test': '93.184.216.34',
  };
  return answers[hostname] ? [{ address: answers[hostname]!, family: 4 }] : [];
};

describe('lead webhook registration refuses non-public targets', () => {
  let h: Harness;
  let owner: TestAccount;
  /** The lead-webhook routes alone, with a resolver that knows test names (the real app uses the system's). */
  let withFakeDns: express.Express;
  beforeAll(async () => {
    h = await startHarness('lead-webhook-targets', { startWorker: false });
    owner = await signUp(h.app);
    withFakeDns = express()
      .use(express.json())
      .use(
        leadWebhooksRouter({
          config: h.config,
          models: h.models,
          log: h.log,
          auth: createAuthDeps(h.config, h.models, h.log),
          temporal: h.dispatcher.temporal,
          resolveHost: fakeDns,
        }),
      )
      .use(errorHandler(h.log));
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses literal private, link-local, reserved and mapped addresses with a 400 that says what to fix', async () => {
    for (const url of [
      'https://10.0.0.5/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00::1]/x',
      'https://[::ffff:192.168.1.1]/x',
      'https://0.0.0.0/x',
      'https://100.64.0.1/x',
      'https://[64:ff9b::a00:5]/x',
    ]) {
      const res = await request(h.app).post(base(owner.businessId)).set(owner.auth).send({ url });
      expect(res.status, url).toBe(400);
      expect(res.body.detail, url).toMatch(
        /body\.url: must not point to a private, loopback, link-local or reserved address; use your CRM's public https:\/\/ address/,
      );
    }
    expect(await h.models.LeadWebhook.countDocuments({ businessId: owner.businessId })).toBe(0);
  });

  it('allows loopback only outside production', () => {
    expect(webhookUrlSchema('test').safeParse('https://127.0.0.1:8443/x').success).toBe(true);
    expect(webhookUrlSchema('production').safeParse('https://127.0.0.1:8443/x').success).toBe(false);
    expect(webhookUrlSchema('production').safeParse('https://[::1]/x').success).toBe(false);
    expect(webhookUrlSchema('production').safeParse('https://[::ffff:7f00:1]/x').success).toBe(false);
    expect(webhookUrlSchema('production').safeParse('https://10.0.0.5/x').success).toBe(false);
    expect(webhookUrlSchema('test').safeParse('https://10.0.0.5/x').success).toBe(false);
  });

  it('refuses a host name that resolves to a private address, without saying which', async () => {
    for (const url of ['https://crm.internal.test/hooks', 'https://crm.metadata.test/hooks']) {
      const res = await request(withFakeDns).post(base(owner.businessId)).set(owner.auth).send({ url });
      expect(res.status, url).toBe(400);
      expect(res.body.detail).toMatch(/^body\.url: must not resolve to a private, loopback, link-local or reserved address/);
      expect(res.body.detail).not.toMatch(/10\.1\.2\.3|169\.254/);
    }
    const ok = await request(withFakeDns).post(base(owner.businessId)).set(owner.auth).send({ url: 'https://crm.public.test/hooks' });
    expect(ok.status).toBe(201);
  });

  it('shows only plain reasons in the delivery log, even for rows written before they were plain', async () => {
    const created = await request(withFakeDns).post(base(owner.businessId)).set(owner.auth).send({ url: 'https://crm.public.test/log' });
    const row = {
      businessId: owner.businessId,
      endpointId: created.body.id as string,
      eventId: 'lead_created:lead_x',
      type: 'lead.created',
      workflowId: 'wf-log',
      kind: 'attempt',
      isDelivered: false,
      at: new Date(),
    };
    await h.models.WebhookDelivery.insertMany([
      { ...row, _id: 'whd_legacy', attempt: 1, error: 'connect ECONNREFUSED 10.0.0.5:8080' },
      { ...row, _id: 'whd_http', attempt: 2, statusCode: 500, error: 'HTTP 500' },
      { ...row, _id: 'whd_refused', attempt: 3, error: 'address not allowed' },
    ]);
    const res = await request(h.app)
      .get(`${base(owner.businessId)}/${created.body.id}/deliveries`)
      .set(owner.auth);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.body.data.map((d: { id: string; error: string }) => [d.id, d.error]))).toEqual({
      whd_legacy: 'connection failed',
      whd_http: 'HTTP 500',
      whd_refused: 'address not allowed',
    });
  });
});
