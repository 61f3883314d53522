/**
 * The cross-tenant walk: every documented route with path ids is called with business A's credentials
 * against business B's ids, and must answer 404 (never 200, never 403, which would confirm B exists).
 * Data-driven from the OpenAPI registry, so routes added later are walked without touching this file.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParamsOf, registeredRoutes, type RouteDoc } from '../../api/openapi/registry.js';
import { bearer, signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let a: TestAccount;
let b: TestAccount;
let aKey: string;
let bKey: string;
/** Real ids of B's resources by path-parameter name; unknown names fall back to an id that exists nowhere. */
let idsOfB: Record<string, string>;

beforeAll(async () => {
  h = await startHarness('tenant-isolation', { startWorker: false });
  a = await signUp(h.app, { businessName: 'Clinic A' });
  b = await signUp(h.app, { businessName: 'Clinic B' });
  aKey = (await request(h.app).post(`/api/v1/businesses/${a.businessId}/api-keys`).set(a.auth).send({ name: 'A' })).body.key;
  const bKeyRes = await request(h.app).post(`/api/v1/businesses/${b.businessId}/api-keys`).set(b.auth).send({ name: 'B' });
  bKey = bKeyRes.body.key;
  // B's conversation data, written directly: the walk needs real ids, not a whole conversation.
  const businessId = b.businessId;
  await h.models.Channel.create({ _id: 'ch_b_web', businessId, kind: 'messenger', externalId: 'page-b', pageId: 'page-b', name: 'B page' });
  await h.models.Conversation.create({ _id: 'conv_b', businessId, channel: 'messenger', channelId: 'ch_b_web', contactId: 'psid-b', workflowId: 'conversation:b' });
  await h.models.Message.create({ _id: 'msg_b', conversationId: 'conv_b', businessId, channel: 'messenger', direction: 'outbound', author: 'assistant', at: new Date(), text: 'draft', status: 'draft' });
  await h.models.Lead.create({ _id: 'lead_b', businessId, channel: 'messenger' });
  idsOfB = { businessId, apiKeyId: bKeyRes.body.id, userId: b.userId, channelId: 'ch_b_web', conversationId: 'conv_b', messageId: 'msg_b', leadId: 'lead_b' };
});
afterAll(async () => {
  await h?.stop();
});

const walkedRoutes = () => registeredRoutes().filter((r) => (r.auth ?? 'bearer') === 'bearer' && pathParamsOf(r.path).length > 0 && !r.skipTenantWalk);

const urlFor = (route: RouteDoc, ids: (param: string) => string) => route.path.replace(/:([A-Za-z_]\w*)/g, (_m, p: string) => encodeURIComponent(ids(p)));

const call = (route: RouteDoc, url: string, token: string) => {
  const req = request(h.app)[route.method](url).set(bearer(token));
  return route.method === 'get' || route.method === 'delete' ? req : req.send((route.example ?? {}) as object);
};

/** Walks every route as `token` and returns what answered anything but a not-found problem. */
const walk = async (token: string) => {
  const failures: string[] = [];
  for (const route of walkedRoutes()) {
    const onlyB = urlFor(route, (p) => idsOfB[p] ?? `missing_${p}`);
    const res = await call(route, onlyB, token);
    if (res.status !== 404 || !String(res.body.type).endsWith('/not-found')) failures.push(`${route.method.toUpperCase()} ${route.path} with B's ids → ${res.status}`);

    // A's own business with B's sub-resource ids: the handler itself must scope by business. B's ids must
    // get exactly the answer ids that exist nowhere get (404, or e.g. a 403 for an API key on an owner route).
    if (pathParamsOf(route.path).some((p) => p !== 'businessId')) {
      const ofA = (ids: Record<string, string>) => urlFor(route, (p) => (p === 'businessId' ? a.businessId : (ids[p] ?? `missing_${p}`)));
      const [mixed, control] = [await call(route, ofA(idsOfB), token), await call(route, ofA({}), token)];
      const isSameAsNowhere = mixed.status === control.status && mixed.body.type === control.body.type && mixed.status >= 400;
      if (mixed.status !== 404 && !isSameAsNowhere) {
        failures.push(`${route.method.toUpperCase()} ${route.path} with A's business and B's ids → ${mixed.status} ${JSON.stringify(mixed.body.errors ?? mixed.body.detail)}; nonexistent ids → ${control.status}`);
      }
    }
  }
  return failures;
};

describe('tenant isolation', () => {
  it('walks every documented business route, including the account routes', () => {
    const paths = walkedRoutes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining([
      'get /api/v1/businesses/:businessId',
      'patch /api/v1/businesses/:businessId',
      'post /api/v1/businesses/:businessId/publishable-key/rotate',
      'post /api/v1/businesses/:businessId/api-keys',
      'delete /api/v1/businesses/:businessId/api-keys/:apiKeyId',
      'get /api/v1/businesses/:businessId/members',
      'delete /api/v1/businesses/:businessId/members/:userId',
      'get /api/v1/businesses/:businessId/audit',
    ]));
  });

  it("answers 404 to A's user token on every route with B's ids", async () => {
    expect(await walk(a.accessToken)).toEqual([]);
  });

  it("answers 404 to A's API key on every route with B's ids", async () => {
    expect(await walk(aKey)).toEqual([]);
  });

  it('left B untouched', async () => {
    expect((await request(h.app).get(`/api/v1/businesses/${b.businessId}`).set(bearer(bKey))).status).toBe(200);
    expect(await h.models.Membership.exists({ businessId: b.businessId, userId: b.userId, role: 'owner' })).toBeTruthy();
    expect(await h.models.ApiKey.exists({ _id: idsOfB.apiKeyId, revokedAt: { $exists: false } })).toBeTruthy();
    expect(await h.models.AuditEntry.countDocuments({ businessId: b.businessId, actorId: { $in: [a.userId] } })).toBe(0);
    const business = await h.models.Business.findById(b.businessId).lean();
    expect(business?.name).toBe('Clinic B');
  });
});
