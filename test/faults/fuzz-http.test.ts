/**
 * Property-based fuzzing of the HTTP surface with hostile input (malformed, oversized, deeply nested,
 * wrong-typed, injection-shaped, prototype keys): never a 5xx, never a crash, and a rejected request
 * leaves no document behind. No worker runs, so every stored document would come from the request itself.
 */
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../api/meta/signed-request.js';
import { signMetaBody } from '../../api/meta/signature.js';
import { registeredRoutes, pathParamsOf } from '../../api/openapi/registry.js';
import { DEMO } from '../../domain/demo-seed.js';
import { startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { contentType, hostileBody, isPrototypePolluted, randomIp } from './nasty-input.js';

const RUNS = 40;
/** The demo business allows it: the widget routes answer only calls from an allowed origin. */
const WIDGET_ORIGIN = 'http://127.0.0.1:3000';
let h: Harness;
let owner: { accessToken: string; businessId: string };
let widgetSession: string;

/**
 * Documents per collection, to prove that a rejected request stored nothing. Login backoff counters are the one
 * record a refused request is meant to write (a wrong password counts towards the email + IP pause).
 */
const countAll = async () =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(h.models)
        .filter(([name]) => name !== 'LoginThrottle')
        .map(async ([name, m]) => [name, await (m as { countDocuments: () => Promise<number> }).countDocuments()] as const),
    ),
  );

type Sent = { status: number; body: unknown };
/** Sends one request; asserts no 5xx and, for 4xx answers, that no collection changed. */
const send = async (
  method: string,
  path: string,
  raw: string | undefined,
  opts: { type?: string; ip: string; token?: string; headers?: Record<string, string> },
): Promise<Sent> => {
  const before = await countAll();
  let req = request(h.app)[method.toLowerCase() as 'post'](path).set('x-forwarded-for', opts.ip);
  if (opts.token) req = req.set('authorization', `Bearer ${opts.token}`);
  for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
  if (raw !== undefined) req = req.set('content-type', opts.type ?? 'application/json').send(raw);
  const res = await req;
  if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status} to ${raw?.slice(0, 300)}: ${res.text.slice(0, 300)}`);
  if (res.status >= 400) expect(await countAll(), `${method} ${path} → ${res.status} must store nothing`).toEqual(before);
  return { status: res.status, body: res.body as unknown };
};

beforeAll(async () => {
  h = await startHarness('fuzz-http', { startWorker: false });
  const signup = await request(h.app)
    .post('/api/v1/auth/signup')
    .send({ email: 'fuzz-owner@example.com', password: 'a long fuzzing passphrase', name: 'Fuzz Owner', businessName: 'Fuzz Clinic' });
  expect(signup.status).toBe(201);
  owner = { accessToken: signup.body.accessToken as string, businessId: signup.body.businessId as string };
  const session = await request(h.app).post('/widget/v1/sessions').set('origin', WIDGET_ORIGIN).send({ key: DEMO.publishableKey });
  expect(session.status).toBe(200);
  widgetSession = session.body.sessionId as string;
});
afterAll(async () => {
  await h?.stop();
  expect(isPrototypePolluted()).toBe(false);
});

describe('POST /webhooks/meta', () => {
  it('answers signed garbage with 200 or 400 and unsigned garbage with 401', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileBody(['object', 'entry', 'messaging', 'sender', 'message']),
        contentType,
        randomIp,
        fc.boolean(),
        async (raw, type, ip, isSigned) => {
          const headers: Record<string, string> = isSigned ? { 'x-hub-signature-256': signMetaBody(raw, TEST_APP_SECRET) } : {};
          const res = await send('POST', '/webhooks/meta', raw, { type, ip, headers });
          if (!isSigned) expect(res.status).toBe(401);
          else if (Buffer.byteLength(raw) <= 2 * 1024 * 1024) expect([200, 400]).toContain(res.status);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Meta signed_request callbacks', () => {
  it('reject forged or garbage signed_requests without a 5xx or a stored record', { timeout: 120_000 }, async () => {
    const forged = fc
      .record({ algorithm: fc.constantFrom('HMAC-SHA256', 'none'), user_id: fc.oneof(fc.string(), fc.constant({ $gt: '' })) })
      .map((p) => `signed_request=${encodeURIComponent(signRequest(p, 'not-the-app-secret'))}`);
    const body = fc.oneof(
      forged,
      fc.string({ maxLength: 300 }).map((s) => `signed_request=${encodeURIComponent(s)}`),
      hostileBody(['signed_request']),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/webhooks/meta/data-deletion', '/webhooks/meta/deauthorize'),
        body,
        contentType,
        randomIp,
        async (path, raw, type, ip) => {
          const res = await send('POST', path, raw, { type: type === 'application/json' ? 'application/x-www-form-urlencoded' : type, ip });
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('widget API', () => {
  const known = ['key', 'sessionId', 'text', 'clientMessageId'];
  it('POST /widget/v1/sessions and /widget/v1/messages never fail on hostile bodies', { timeout: 120_000 }, async () => {
    const example = { key: DEMO.publishableKey, sessionId: '', text: 'Hello', clientMessageId: '00000000-0000-4000-8000-000000000000' };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/widget/v1/sessions', '/widget/v1/messages'),
        hostileBody(known, example),
        contentType,
        randomIp,
        async (path, raw, type, ip) => {
          await send('POST', path, raw.replace('"sessionId":""', `"sessionId":${JSON.stringify(widgetSession)}`), {
            type,
            ip,
            headers: { origin: WIDGET_ORIGIN },
          });
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('GET /widget/v1/messages never fails on hostile query strings', { timeout: 120_000 }, async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.constantFrom(DEMO.publishableKey, widgetSession, '-1', '1e999', 'NaN', '[object Object]', 'x'.repeat(5_000)),
    );
    const param = fc.tuple(
      fc.constantFrom('key', 'sessionId', 'after', 'wait', 'key[$gt]', '__proto__', 'constructor[prototype][x]', 'sessionId[]'),
      value,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(param, { maxLength: 5 }), randomIp, async (params, ip) => {
        // wait=0 last: a valid key and session must not turn the fuzz run into 25-second long polls.
        const query = [...params, ['wait', '0'] as const].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        await send('GET', `/widget/v1/messages?${query}`, undefined, { ip, headers: { origin: WIDGET_ORIGIN } });
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('dashboard API (/api/v1)', () => {
  // Only what the fuzzer needs of each route, so a counterexample prints as one readable line.
  const withBodies = () =>
    registeredRoutes()
      .filter((r) => r.path.startsWith('/api/v1/') && ['post', 'put', 'patch'].includes(r.method))
      .map((r) => ({ method: r.method, path: r.path, auth: r.auth, example: r.example }));
  /** The body parser may refuse a body before authentication runs: malformed JSON, a JSON scalar, too large. */
  const isBodyRejection = (res: Sent) =>
    [400, 413, 415].includes(res.status) &&
    /(malformed-body|payload-too-large|unsupported)/.test(String((res.body as { type?: string }).type));

  it('answers hostile bodies on every documented write route without a 5xx, signed in or not', { timeout: 300_000 }, async () => {
    const routes = withBodies();
    expect(routes.length).toBeGreaterThan(0);
    const pathArb = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.tuple(
          ...pathParamsOf(route.path).map((p) =>
            p === 'businessId'
              ? fc.constantFrom(owner.businessId, '{"$gt":""}', '..', 'x'.repeat(300))
              : fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constant('%7B%22%24gt%22%3A%22%22%7D')),
          ),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(pathArb, fc.boolean(), randomIp, fc.context(), async ({ route, params }, isSignedIn, ip, ctx) => {
        const example =
          route.example && typeof route.example === 'object' && !Array.isArray(route.example)
            ? (route.example as Record<string, unknown>)
            : undefined;
        const raw = fc.sample(hostileBody(example ? Object.keys(example) : [], example), 1)[0]!;
        let path = route.path;
        pathParamsOf(route.path).forEach((p, i) => (path = path.replace(`:${p}`, encodeURIComponent(String(params[i])))));
        ctx.log(`${route.method.toUpperCase()} ${path} ${raw.slice(0, 200)}`);
        const res = await send(route.method, path, raw, { ip, token: isSignedIn ? owner.accessToken : undefined });
        if (!isSignedIn && route.auth !== 'none' && !isBodyRejection(res)) expect(res.status).toBe(401);
      }),
      { numRuns: RUNS * 6 },
    );
  });

  it('keeps signup and login to 4xx for injection-shaped credentials', { timeout: 120_000 }, async () => {
    const injected = fc.constantFrom(
      '{"$gt":""}',
      '{"$ne":null}',
      '{"$regex":".*"}',
      '["fuzz-owner@example.com"]',
      '{"__proto__":{"isAdmin":true}}',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/auth/login', '/api/v1/auth/signup'),
        injected,
        injected,
        randomIp,
        async (path, email, password, ip) => {
          const res = await send('POST', path, `{"email":${email},"password":${password},"name":"x","businessName":"y"}`, { ip });
          expect(res.status).toBe(400);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
