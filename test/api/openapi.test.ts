import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../api/openapi/registry.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('openapi', { startWorker: false });
});
afterAll(async () => {
  await h?.stop();
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document listing the account routes with their schemas', async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/signup',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/logout',
        '/api/v1/me',
        '/api/v1/businesses/{businessId}',
        '/api/v1/businesses/{businessId}/api-keys',
        '/api/v1/businesses/{businessId}/api-keys/{apiKeyId}',
        '/api/v1/businesses/{businessId}/members',
        '/api/v1/businesses/{businessId}/members/{userId}',
        '/api/v1/businesses/{businessId}/audit',
        '/api/v1/businesses/{businessId}/publishable-key/rotate',
        '/api/v1/auth/logout-all',
        '/api/v1/auth/password',
        '/api/v1/auth/password-reset',
        '/api/v1/auth/password-reset/confirm',
        '/api/v1/auth/verify-email',
        '/api/v1/auth/verify-email/resend',
        '/api/v1/invitations/accept',
      ]),
    );
    const signup = doc.paths['/api/v1/auth/signup'].post;
    expect(signup.security).toEqual([]);
    expect(signup.requestBody.content['application/json'].schema.properties.password).toMatchObject({ type: 'string', minLength: 12 });
    const patch = doc.paths['/api/v1/businesses/{businessId}'].patch;
    expect(patch.security).toEqual([{ bearer: [] }]);
    expect(patch.parameters).toEqual([expect.objectContaining({ name: 'businessId', in: 'path', required: true })]);
    expect(patch.requestBody.content['application/json'].schema.properties.handoverPauseMinutes).toMatchObject({
      minimum: 1,
      maximum: 43200,
    });
    expect(patch.responses['400'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    const audit = doc.paths['/api/v1/businesses/{businessId}/audit'].get;
    expect(audit.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:businessId',
      'query:limit',
      'query:cursor',
    ]);
    expect(audit.responses['200'].content['application/json'].schema.properties).toHaveProperty('nextCursor');
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops as Record<string, { operationId: string }>).map((o) => o.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents every route the app serves: API, webhooks, pages and ops (CORS preflights aside)', () => {
    type Layer = { rawPath?: string; route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] } };
    const served = (layers: Layer[], prefix = ''): string[] =>
      layers.flatMap((l) => {
        if (l.route) return Object.keys(l.route.methods).map((m) => `${m} ${prefix}${l.route!.path}`);
        return l.handle.stack ? served(l.handle.stack, prefix + (l.rawPath && l.rawPath !== '/' ? l.rawPath : '')) : [];
      });
    const routes = served((h.app as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) => !r.startsWith('options '));
    const documented = new Set(registeredRoutes().map((r) => `${r.method} ${r.path}`));
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
    expect(routes).toEqual(
      expect.arrayContaining([
        'post /webhooks/meta',
        'get /webhooks/meta',
        'post /webhooks/meta/data-deletion',
        'post /webhooks/meta/deauthorize',
        'post /widget/v1/sessions',
        'get /data-deletion',
        'get /data-deletion/:code',
        'get /widget.js',
        'get /privacy',
        'get /healthz',
        'get /metrics',
        'post /codec/:namespace/:op',
      ]),
    );
  });

  it('documents webhooks with the body the sender signs, and pages with their media type', async () => {
    const doc = JSON.parse((await request(h.app).get('/openapi.json')).text);
    const meta = doc.paths['/webhooks/meta'].post;
    expect(meta.security).toEqual([]);
    expect(meta.requestBody.content['application/json'].schema.properties).toHaveProperty('entry');
    expect(
      doc.paths['/webhooks/meta/deauthorize'].post.requestBody.content['application/x-www-form-urlencoded'].schema.properties,
    ).toHaveProperty('signed_request');
    expect(doc.paths['/widget.js'].get.responses['200'].content).toHaveProperty(['application/javascript']);
    expect(doc.paths['/data-deletion'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['key', 'chat', 'right']);
    expect(doc.paths['/metrics'].get.security).toEqual([{ ops: [] }]);
  });

  it('documents only examples that its own body schemas accept', () => {
    for (const route of registeredRoutes().filter((r) => r.example !== undefined && r.body)) {
      const parsed = route.body!.safeParse(route.example);
      expect(parsed.success, `${route.method} ${route.path}: ${parsed.error?.message}`).toBe(true);
    }
  });
});

describe('GET /docs', () => {
  it('renders the operations as a self-contained HTML page', async () => {
    const res = await request(h.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('/api/v1/businesses/{businessId}/api-keys');
    expect(res.text).toContain('Create an API key for this business');
    expect(res.text).not.toMatch(/<script|https?:\/\/cdn/i);
  });
});
