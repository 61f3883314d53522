/**
 * Privacy intake while Temporal accepts connections but never answers: every route that starts a workflow
 * answers 503 within its deadline and leaves nothing behind (no request row, no audit entry, no closing
 * business); the same intake sent again once Temporal answers gets one request, with one confirmation code.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createChannelRouter } from '../../api/meta/channel-router.js';
import { signRequest } from '../../api/meta/signed-request.js';
import { createMetrics } from '../../api/metrics.js';
import { sealFormToken } from '../../api/privacy/form-token.js';
import { DEMO } from '../../domain/demo-seed.js';
import { getDataConverter } from '../../temporal/data-converter.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';

const DEADLINE_MS = 1_500;
/** The 503 must come from our deadline, not from the client's own retries (which last tens of seconds). */
const ANSWERED_WITHIN_MS = DEADLINE_MS + 5_000;

describe('privacy intake with a silent Temporal', () => {
  let h: Harness;
  let owner: TestAccount;
  let silent: Server;
  const sockets: Socket[] = [];
  let silentConnection: Connection;
  let silentApp: ReturnType<typeof createApp>;

  beforeAll(async () => {
    h = await startHarness('privacy-intake-silent');
    owner = await signUp(h.app, { businessName: 'Silent Clinic' });
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    silentConnection = Connection.lazy({ address: `127.0.0.1:${port}` });
    const silentClient = new Client({
      connection: silentConnection,
      namespace: h.config.TEMPORAL_NAMESPACE,
      dataConverter: getDataConverter(h.config.ENCRYPTION_KEY),
    });
    // The same database and keys as h.app; only the routes' Temporal target is the silent server.
    silentApp = createApp({
      config: h.config,
      db: h.db,
      log: h.log,
      channelRouter: createChannelRouter(h.models),
      metrics: createMetrics(),
      readiness: {},
      dispatcher: { ...h.dispatcher, temporal: { client: silentClient, taskQueue: h.taskQueue, callTimeoutMs: DEADLINE_MS } },
    });
  });
  afterAll(async () => {
    await silentConnection?.close().catch(() => undefined);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
    await h?.stop();
  });

  const timed = async <T>(call: () => Promise<T>) => {
    const started = Date.now();
    const result = await call();
    expect(Date.now() - started).toBeLessThan(ANSWERED_WITHIN_MS);
    return result;
  };
  const workflowExists = (workflowId: string) =>
    h.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => true,
        () => false,
      );

  it("Meta's callback: 503 and no row while Temporal is silent; Meta's redelivery then gets one request and one code", async () => {
    const signed = signRequest({ algorithm: 'HMAC-SHA256', issued_at: 1_700_000_500, user_id: 'asid-silent' }, TEST_APP_SECRET);
    const post = (app: typeof silentApp) => request(app).post('/webhooks/meta/data-deletion').type('form').send({ signed_request: signed });

    const refused = await timed(() => post(silentApp));
    expect(refused.status).toBe(503);
    expect(refused.body.type).toMatch(/temporarily-unavailable$/);
    expect(await h.models.PrivacyRequest.countDocuments({ source: 'meta_callback' })).toBe(0);

    const first = await post(h.app);
    expect(first.status).toBe(200);
    const code = first.body.confirmation_code as string;
    expect(await workflowExists(privacyRequestWorkflowId('deletion', code))).toBe(true);
    expect((await post(h.app)).body.confirmation_code).toBe(code);
    expect(await h.models.PrivacyRequest.find({ source: 'meta_callback' }, { _id: 1 }).lean()).toEqual([{ _id: code }]);
  });

  it('the emailed form link: a "try again" answer in the form\'s shape, then one request when confirmed again', async () => {
    const token = sealFormToken(h.config.ENCRYPTION_KEY, { email: 'silent-form@example.com', businessId: DEMO.businessId });
    const confirm = (app: typeof silentApp) => request(app).post('/data-deletion/verify').set('Accept', 'application/json').send({ token });

    const refused = await timed(() => confirm(silentApp));
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: 'temporarily_unavailable' });
    expect(refused.headers['retry-after']).toBe('5');
    expect(await h.models.PrivacyRequest.countDocuments({ source: 'form' })).toBe(0);

    const accepted = await confirm(h.app);
    expect(accepted.status).toBe(202);
    expect(await workflowExists(privacyRequestWorkflowId('deletion', accepted.body.confirmationCode))).toBe(true);
    expect(await h.models.PrivacyRequest.countDocuments({ source: 'form' })).toBe(1);
  });

  it('rights requests and account closure: a 503 problem, no row, no audit entry, the business still active', async () => {
    const rights = await timed(() =>
      request(silentApp)
        .post(`/api/v1/businesses/${owner.businessId}/rights-requests`)
        .set(owner.auth)
        .send({ kind: 'access', subject: { email: 'silent@example.com' } }),
    );
    expect(rights.status).toBe(503);
    expect(rights.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(rights.text)).toMatchObject({ type: expect.stringMatching(/temporarily-unavailable$/), status: 503 });
    expect(await h.models.PrivacyRequest.countDocuments({ businessId: owner.businessId })).toBe(0);

    const closure = await timed(() =>
      request(silentApp).post(`/api/v1/businesses/${owner.businessId}/close`).set(owner.auth).send({ confirm: true }),
    );
    expect(closure.status).toBe(503);
    expect((await h.models.Business.findById(owner.businessId, { status: 1 }).lean())?.status).not.toBe('closing');
    expect(
      await h.models.AuditEntry.countDocuments({ businessId: owner.businessId, action: { $regex: /^(privacy|account_closure)\./ } }),
    ).toBe(0);

    const accepted = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/rights-requests`)
      .set(owner.auth)
      .send({ kind: 'access', subject: { email: 'silent@example.com' } });
    expect(accepted.status).toBe(202);
    // The requester is recorded even when the workflow's first step wrote the row before the API did.
    expect(await h.models.PrivacyRequest.findById(accepted.body.id, { requestedByType: 1, requestedById: 1 }).lean()).toMatchObject({
      requestedByType: 'user',
      requestedById: owner.userId,
    });
  });
});
