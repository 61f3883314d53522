import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let owner: TestAccount;
let other: TestAccount;
beforeAll(async () => {
  h = await startHarness('api-keys', { startWorker: false });
  owner = await signUp(h.app);
  other = await signUp(h.app);
});
afterAll(async () => {
  await h?.stop();
});

const keysPath = (businessId: string) => `/api/v1/businesses/${businessId}/api-keys`;

describe('API keys', () => {
  it('returns a new key once, stores only its hash, and lists keys without secrets', async () => {
    const res = await request(h.app).post(keysPath(owner.businessId)).set(owner.auth).send({ name: 'Zapier' });
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/^lk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.key.startsWith(`lk_${res.body.prefix}_`)).toBe(true);
    const stored = await h.models.ApiKey.findById(res.body.id).lean();
    expect(JSON.stringify(stored)).not.toContain(res.body.key.slice(12));

    const list = await request(h.app).get(keysPath(owner.businessId)).set(owner.auth);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: res.body.id, name: 'Zapier', prefix: res.body.prefix, createdAt: expect.any(String), lastUsedAt: null, revokedAt: null },
    ]);
  });

  it('authenticates as its own business only, with member rights', async () => {
    const { body } = await request(h.app).post(keysPath(owner.businessId)).set(owner.auth).send({ name: 'CRM sync' });
    const key = bearer(body.key);
    const read = await request(h.app).get(`/api/v1/businesses/${owner.businessId}`).set(key);
    expect(read.status).toBe(200);
    expect(read.body.access).toEqual({ role: 'member', via: 'api_key' });
    expect((await request(h.app).get(`/api/v1/businesses/${other.businessId}`).set(key)).status).toBe(404);
    expect((await request(h.app).patch(`/api/v1/businesses/${owner.businessId}`).set(key).send({ pricing: 'Set by the CRM' })).status).toBe(
      200,
    );
    expect((await request(h.app).patch(`/api/v1/businesses/${owner.businessId}`).set(key).send({ emailMode: 'digest' })).status).toBe(403);
    expect((await request(h.app).post(keysPath(owner.businessId)).set(key).send({ name: 'escalate' })).status).toBe(403);
    expect((await request(h.app).get('/api/v1/me').set(key)).status).toBe(403);
    expect((await h.models.ApiKey.findById(body.id).lean())?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('stops working immediately once revoked', async () => {
    const { body } = await request(h.app).post(keysPath(owner.businessId)).set(owner.auth).send({ name: 'temporary' });
    expect((await request(h.app).get(`/api/v1/businesses/${owner.businessId}`).set(bearer(body.key))).status).toBe(200);
    expect(
      (
        await request(h.app)
          .delete(`${keysPath(owner.businessId)}/${body.id}`)
          .set(owner.auth)
      ).status,
    ).toBe(204);
    const after = await request(h.app).get(`/api/v1/businesses/${owner.businessId}`).set(bearer(body.key));
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/unknown or revoked/);
    expect(
      (
        await request(h.app)
          .delete(`${keysPath(owner.businessId)}/${body.id}`)
          .set(owner.auth)
      ).status,
    ).toBe(204);
    expect(
      (
        await request(h.app)
          .delete(`${keysPath(owner.businessId)}/key_missing`)
          .set(owner.auth)
      ).status,
    ).toBe(404);
    const listed = await request(h.app).get(keysPath(owner.businessId)).set(owner.auth);
    expect(listed.body.find((k: { id: string }) => k.id === body.id).revokedAt).toEqual(expect.any(String));
  });

  it('rejects a key-shaped token that was never issued', async () => {
    const res = await request(h.app)
      .get(`/api/v1/businesses/${owner.businessId}`)
      .set(bearer(`lk_00000000_${'A'.repeat(43)}`));
    expect(res.status).toBe(401);
  });
});
