/**
 * The one list of documented HTTP routes. Routes register through api/openapi/route.ts with the SAME zod
 * schemas that validate them, so /openapi.json cannot drift from behaviour; the tenant-isolation test walks this list too.
 */
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };

export type RouteDoc<S extends Schemas = Schemas> = S & {
  method: HttpMethod;
  /** Express-style path, e.g. `/api/v1/businesses/:businessId/api-keys/:apiKeyId`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** `bearer` (default): an access token or an API key; `ops`: Bearer OPS_TOKEN; `none`: public (webhooks prove themselves by signature). */
  auth?: 'bearer' | 'ops' | 'none';
  /** Success (and notable error) responses: a schema for JSON bodies, or just a description. */
  responses: Record<number, z.ZodType | string>;
  /** Media type of a success body described only in words (pages, scripts, plain text); JSON otherwise. */
  produces?: string;
  /** Webhooks: the body exactly as the sender posts it, checked by its signature rather than by a schema. */
  rawBody?: { type: string; schema: z.ZodType };
  /** A valid request body: shown in the docs and sent by the tenant-isolation walk so it gets past validation. */
  example?: unknown;
  /** More valid bodies, one per distinct behaviour (e.g. each kind of request): the tenant-isolation walk sends every one. */
  moreExamples?: unknown[];
  /** Opt out of the cross-tenant walk, saying why (e.g. ids that are not tenant data). */
  skipTenantWalk?: string;
};

const routes = new Map<string, RouteDoc>();

export const registerRoute = <S extends Schemas>(doc: RouteDoc<S>) => {
  // Keyed so building the app twice (tests) documents each route once.
  routes.set(`${doc.method} ${doc.path}`, doc as RouteDoc);
};

export const registeredRoutes = (): RouteDoc[] =>
  [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));

/** Path parameter names of an Express-style path: `/a/:x/b/:y` → [x, y]; a wildcard `/app/{*rest}` → [rest]. */
export const pathParamsOf = (path: string) => [...path.matchAll(/[:*]([A-Za-z_]\w*)/g)].map((m) => m[1]!);
