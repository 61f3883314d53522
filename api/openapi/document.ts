/** Builds the OpenAPI 3.1 document from the route registry, converting each zod schema with z.toJSONSchema. */
import { z } from 'zod';
import { pathParamsOf, registeredRoutes, type RouteDoc } from './registry.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  // Transforms and refinements have no JSON Schema form; they document as their input/output shape.
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return json;
};

const ProblemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem document',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
  required: ['type', 'title', 'status'],
};
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const parametersOf = (doc: RouteDoc) => {
  const out: Record<string, unknown>[] = [];
  const pathSchema = doc.params ? toSchema(doc.params, 'input') : undefined;
  for (const name of pathParamsOf(doc.path)) {
    const s = pathSchema?.properties?.[name] ?? { type: 'string' };
    out.push({ name, in: 'path', required: true, schema: s, ...(s.description ? { description: s.description } : {}) });
  }
  if (doc.query) {
    const q = toSchema(doc.query, 'input');
    for (const [name, s] of Object.entries(q.properties ?? {})) {
      out.push({
        name,
        in: 'query',
        required: (q.required ?? []).includes(name),
        schema: s,
        ...(s.description ? { description: s.description } : {}),
      });
    }
  }
  return out;
};

const DEFAULT_DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

const operationOf = (doc: RouteDoc) => {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    const code = Number(status);
    if (typeof r === 'string')
      responses[status] =
        code >= 400
          ? problem(r)
          : { description: r, ...(doc.produces ? { content: { [doc.produces]: { schema: { type: 'string' } } } } : {}) };
    else
      responses[status] = {
        description: DEFAULT_DESCRIPTIONS[code] ?? 'Response',
        content: { 'application/json': { schema: toSchema(r, 'output') } },
      };
  }
  const hasInput = Boolean(doc.params || doc.query || doc.body);
  const auth = doc.auth ?? 'bearer';
  if (hasInput) responses['400'] ??= problem('The request is not valid; `errors` lists each field and what to fix.');
  if (auth !== 'none') responses['401'] ??= problem('Missing, invalid or expired credentials.');
  if (pathParamsOf(doc.path).length) responses['404'] ??= problem('No such resource, or it belongs to another business.');
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.tags ? { tags: doc.tags } : {}),
    operationId: `${doc.method}${doc.path.replace(/[:/{}.*-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    security: auth === 'none' ? [] : [{ [auth]: [] }],
    parameters: parametersOf(doc),
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: toSchema(doc.body, 'input'), ...(doc.example === undefined ? {} : { example: doc.example }) },
            },
          },
        }
      : doc.rawBody
        ? { requestBody: { required: true, content: { [doc.rawBody.type]: { schema: toSchema(doc.rawBody.schema, 'input') } } } }
        : {}),
    responses,
  };
};

export const openApiPathOf = (path: string) => path.replace(/\{\*([A-Za-z_]\w*)\}/g, '{$1}').replace(/:([A-Za-z_]\w*)/g, '{$1}');

export const buildOpenApiDocument = (opts: { serverUrl: string; version?: string }) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of registeredRoutes()) {
    const p = (paths[openApiPathOf(doc.path)] ??= {});
    p[doc.method] = operationOf(doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'LuxLeads API',
      version: opts.version ?? '1.0.0',
      description:
        'Dashboard and integration API. Errors are RFC 9457 problem documents; lists are cursor-paginated (`?limit=&cursor=` → `{ data, nextCursor }`).',
    },
    servers: [{ url: opts.serverUrl }],
    paths,
    components: {
      schemas: { Problem: ProblemSchema },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An access token from POST /api/v1/auth/login, or a business API key (lk_…), which acts for its business only.',
        },
        ops: { type: 'http', scheme: 'bearer', description: 'The operator token (OPS_TOKEN); the route answers 503 while it is unset.' },
      },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
