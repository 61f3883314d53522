/**
 * The cross-tenant walk: every documented route with path ids is called with business A's credentials
 * against business B's ids, and must answer 404 (never 200, never 403, which would confirm B exists).
 * Ids carried in request bodies are walked too: every id field of every documented body schema is sent
 * with B's id on A's own resources, must answer exactly as an id that exists nowhere, and once the
 * workflows those calls started have finished, B's records must be as they were.
 * Data-driven from the OpenAPI registry, so routes added later are walked without touching this file.
 */
import request from 'supertest';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParamsOf, registeredRoutes, type RouteDoc } from '../../api/openapi/registry.js';
import { bearer, signUp, type TestAccount } from '../helpers/accounts.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import type { PrivacyRequestKind } from '../../domain/privacy-requests.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let a: TestAccount;
let b: TestAccount;
let aKey: string;
let bKey: string;
/** Real ids of B's resources by path-parameter name; unknown names fall back to an id that exists nowhere. */
let idsOfB: Record<string, string>;
/** A's own ids by path-parameter name, for the body walk. */
let idsOfA: Record<string, string>;

beforeAll(async () => {
  // With a worker: body-carried ids may act asynchronously (rights requests run as workflows).
  h = await startHarness('tenant-isolation');
  a = await signUp(h.app, { businessName: 'Clinic A' });
  b = await signUp(h.app, { businessName: 'Clinic B' });
  aKey = (await request(h.app).post(`/api/v1/businesses/${a.businessId}/api-keys`).set(a.auth).send({ name: 'A' })).body.key;
  const bKeyRes = await request(h.app).post(`/api/v1/businesses/${b.businessId}/api-keys`).set(b.auth).send({ name: 'B' });
  bKey = bKeyRes.body.key;
  // B's conversation data, written directly: the walk needs real ids, not a whole conversation.
  const businessId = b.businessId;
  await h.models.Channel.create({ _id: 'ch_b_web', businessId, kind: 'messenger', externalId: 'page-b', pageId: 'page-b', name: 'B page' });
  await h.models.Conversation.create({
    _id: 'conv_b',
    businessId,
    channel: 'messenger',
    channelId: 'ch_b_web',
    contactId: 'psid-b',
    workflowId: 'conversation:b',
  });
  await h.models.Message.create({
    _id: 'msg_b',
    conversationId: 'conv_b',
    businessId,
    channel: 'messenger',
    direction: 'outbound',
    author: 'assistant',
    at: new Date(),
    text: 'draft',
    status: 'draft',
  });
  await h.models.Lead.create({
    _id: 'lead_b',
    businessId,
    channel: 'messenger',
    name: 'Bella B',
    email: 'bella-b@example.com',
    contactKeys: ['messenger:psid-b'],
    conversationIds: ['conv_b'],
  });
  idsOfB = {
    businessId,
    apiKeyId: bKeyRes.body.id,
    userId: b.userId,
    channelId: 'ch_b_web',
    conversationId: 'conv_b',
    messageId: 'msg_b',
    leadId: 'lead_b',
  };
  // A's own resources, so that routes whose path needs them get past the path and reach their body.
  await h.models.Conversation.create({
    _id: 'conv_a',
    businessId: a.businessId,
    channel: 'messenger',
    channelId: 'ch_a',
    contactId: 'psid-a',
    workflowId: 'conversation:a',
  });
  await h.models.Lead.create({ _id: 'lead_a', businessId: a.businessId, channel: 'messenger', name: 'Ann A' });
  idsOfA = { businessId: a.businessId, conversationId: 'conv_a', leadId: 'lead_a' };
});
afterAll(async () => {
  await h?.stop();
});

const walkedRoutes = () =>
  registeredRoutes().filter((r) => (r.auth ?? 'bearer') === 'bearer' && pathParamsOf(r.path).length > 0 && !r.skipTenantWalk);

const urlFor = (route: RouteDoc, ids: (param: string) => string) =>
  route.path.replace(/:([A-Za-z_]\w*)/g, (_m, p: string) => encodeURIComponent(ids(p)));

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
    if (res.status !== 404 || !String(res.body.type).endsWith('/not-found'))
      failures.push(`${route.method.toUpperCase()} ${route.path} with B's ids → ${res.status}`);

    // A's own business with B's sub-resource ids: the handler itself must scope by business. B's ids must
    // get exactly the answer ids that exist nowhere get (404, or e.g. a 403 for an API key on an owner route).
    if (pathParamsOf(route.path).some((p) => p !== 'businessId')) {
      const ofA = (ids: Record<string, string>) => urlFor(route, (p) => (p === 'businessId' ? a.businessId : (ids[p] ?? `missing_${p}`)));
      const [mixed, control] = [await call(route, ofA(idsOfB), token), await call(route, ofA({}), token)];
      const isSameAsNowhere = mixed.status === control.status && mixed.body.type === control.body.type && mixed.status >= 400;
      if (mixed.status !== 404 && !isSameAsNowhere) {
        failures.push(
          `${route.method.toUpperCase()} ${route.path} with A's business and B's ids → ${mixed.status} ${JSON.stringify(mixed.body.errors ?? mixed.body.detail)}; nonexistent ids → ${control.status}`,
        );
      }
    }
  }
  return failures;
};

/**
 * What B id to send for each id-bearing body field name. A route that adds an id field to its body fails
 * `bodyIdFieldsOf` until the field is listed here, so no body id escapes the walk.
 */
const BODY_ID_OF_B: Record<string, (ids: Record<string, string>) => unknown> = {
  leadId: (ids) => ids.leadId,
  intoLeadId: (ids) => ids.leadId,
  assignee: (ids) => ids.userId,
  userId: (ids) => ids.userId,
  conversationId: (ids) => ids.conversationId,
  channelId: (ids) => ids.channelId,
  contactId: () => 'psid-b',
  pageIds: () => ['900000000000002'],
};
/** Fields that name something (ids, or a person's member id) and so must be walked. */
const isIdFieldName = (name: string) => /(Id|Ids)$/.test(name) || name === 'assignee';

type JsonSchema = { properties?: Record<string, JsonSchema>; allOf?: JsonSchema[]; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };
/** Paths (e.g. ['subject', 'leadId']) of every id-bearing field in a body schema. */
const bodyIdFieldsOf = (schema: z.ZodType): string[][] => {
  const found: string[][] = [];
  const visit = (node: JsonSchema | undefined, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (isIdFieldName(key)) found.push([...path, key]);
      visit(child, [...path, key]);
    }
    for (const branch of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) visit(branch, path);
  };
  visit(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, []);
  return found.filter((p, i) => found.findIndex((q) => q.join('.') === p.join('.')) === i);
};

const withField = (body: unknown, path: string[], value: unknown): Record<string, unknown> => {
  const copy = structuredClone((body ?? {}) as Record<string, unknown>);
  let node = copy;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  const field = path.at(-1)!;
  node[field] = value;
  if (field === 'contactId') node.channel = 'messenger';
  return copy;
};

const bodyWalkedRoutes = () =>
  registeredRoutes().filter((r) => (r.auth ?? 'bearer') === 'bearer' && r.body && !r.skipTenantWalk && bodyIdFieldsOf(r.body).length > 0);

/** Calls every route whose body carries an id with B's id in that field, on A's own path; returns mismatches. */
const walkBodies = async (token: string) => {
  const failures: string[] = [];
  for (const route of bodyWalkedRoutes()) {
    const url = urlFor(route, (p) => idsOfA[p] ?? `missing_${p}`);
    for (const [example, path] of [route.example, ...(route.moreExamples ?? [])].flatMap((e) =>
      bodyIdFieldsOf(route.body!).map((p) => [e, p] as const),
    )) {
      const field = path.at(-1)!;
      const ofB = BODY_ID_OF_B[field];
      if (!ofB) {
        failures.push(
          `${route.method.toUpperCase()} ${route.path}: body field ${path.join('.')} is an id the walk does not know; add it to BODY_ID_OF_B`,
        );
        continue;
      }
      const nowhere = Array.isArray(ofB(idsOfB)) ? ['999999999999999'] : `missing_${field}`;
      const send = (body: Record<string, unknown>) => request(h.app)[route.method](url).set(bearer(token)).send(body);
      const [mixed, control] = [await send(withField(example, path, ofB(idsOfB))), await send(withField(example, path, nowhere))];
      if (mixed.status !== control.status || mixed.body?.type !== control.body?.type) {
        failures.push(
          `${route.method.toUpperCase()} ${route.path} with B's id in ${path.join('.')} → ${mixed.status} ${mixed.body?.type ?? ''}; an id that exists nowhere → ${control.status} ${control.body?.type ?? ''}`,
        );
      }
    }
  }
  return failures;
};

describe('tenant isolation', () => {
  it('walks every documented business route, including the account routes', () => {
    const paths = walkedRoutes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'get /api/v1/businesses/:businessId',
        'patch /api/v1/businesses/:businessId',
        'post /api/v1/businesses/:businessId/publishable-key/rotate',
        'post /api/v1/businesses/:businessId/api-keys',
        'delete /api/v1/businesses/:businessId/api-keys/:apiKeyId',
        'get /api/v1/businesses/:businessId/members',
        'delete /api/v1/businesses/:businessId/members/:userId',
        'get /api/v1/businesses/:businessId/audit',
      ]),
    );
  });

  it("answers 404 to A's user token on every route with B's ids", async () => {
    expect(await walk(a.accessToken)).toEqual([]);
  });

  it("answers 404 to A's API key on every route with B's ids", async () => {
    expect(await walk(aKey)).toEqual([]);
  });

  it('walks every id carried in a request body, including rights requests and lead merges', () => {
    const fields = bodyWalkedRoutes().flatMap((r) => bodyIdFieldsOf(r.body!).map((p) => `${r.method} ${r.path} ${p.join('.')}`));
    expect(fields).toEqual(
      expect.arrayContaining([
        'post /api/v1/businesses/:businessId/rights-requests subject.leadId',
        'post /api/v1/businesses/:businessId/rights-requests subject.contactId',
        'post /api/v1/businesses/:businessId/leads/:leadId/merge intoLeadId',
        'patch /api/v1/businesses/:businessId/leads/:leadId assignee',
      ]),
    );
  });

  it("answers B's ids in request bodies exactly as ids that exist nowhere, for A's user token and API key", async () => {
    expect(await walkBodies(a.accessToken)).toEqual([]);
    expect(await walkBodies(aKey)).toEqual([]);
  });

  it('finished every workflow the walk started, and none of them touched B', async () => {
    const started = await h.models.PrivacyRequest.find({ businessId: a.businessId }).lean();
    expect(started.length).toBeGreaterThan(0);
    for (const row of started)
      await h.client.workflow.getHandle(privacyRequestWorkflowId(row.kind as PrivacyRequestKind, row._id)).result();
    expect(await h.models.PrivacyRequest.countDocuments({ businessId: b.businessId })).toBe(0);
  });

  it('left B untouched', async () => {
    expect(await h.models.Lead.findById('lead_b').lean()).toMatchObject({
      businessId: b.businessId,
      name: 'Bella B',
      email: 'bella-b@example.com',
      conversationIds: ['conv_b'],
    });
    expect(await h.models.Conversation.findById('conv_b').lean()).toMatchObject({
      businessId: b.businessId,
      mode: expect.not.stringMatching(/^restricted$/),
    });
    expect(await h.models.Message.exists({ _id: 'msg_b' })).toBeTruthy();
    expect((await request(h.app).get(`/api/v1/businesses/${b.businessId}`).set(bearer(bKey))).status).toBe(200);
    expect(await h.models.Membership.exists({ businessId: b.businessId, userId: b.userId, role: 'owner' })).toBeTruthy();
    expect(await h.models.ApiKey.exists({ _id: idsOfB.apiKeyId, revokedAt: { $exists: false } })).toBeTruthy();
    expect(await h.models.AuditEntry.countDocuments({ businessId: b.businessId, actorId: { $in: [a.userId] } })).toBe(0);
    const business = await h.models.Business.findById(b.businessId).lean();
    expect(business?.name).toBe('Clinic B');
  });
});
