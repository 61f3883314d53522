/**
 * The one list of documented HTTP routes. A route registers its method, path and the SAME zod schemas that
 * validate it, so /openapi.json cannot drift from behaviour; the tenant-isolation test walks this list too.
 *
 *   documentedRoute(router, { method: 'get', path: '/api/v1/businesses/:businessId', summary: 'Read a business',
 *     params: BusinessParamsSchema, responses: { 200: BusinessViewSchema } }, [authenticate(d), requireBusiness(d)],
 *     async (req, res, { params }) => { ... });
 *
 * Routers that mount their handlers themselves can still document them with `registerRoute({...})`.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { validate, type Parsed } from '../middleware/validate.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };

export type RouteDoc<S extends Schemas = Schemas> = S & {
  method: HttpMethod;
  /** Express-style path, e.g. `/api/v1/businesses/:businessId/api-keys/:apiKeyId`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** `bearer` (default): an access token or an API key; `none`: public. */
  auth?: 'bearer' | 'none';
  /** Success (and notable error) responses: a schema for JSON bodies, or just a description. */
  responses: Record<number, z.ZodType | string>;
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

/** Path parameter names of an Express-style path: `/a/:x/b/:y` → [x, y]. */
export const pathParamsOf = (path: string) => [...path.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!);

/**
 * Registers `doc` and mounts it on `router`: guards first (authentication, tenant access), then validation
 * of params/query/body with the documented schemas, then `handler` with the parsed values.
 */
export const documentedRoute = <S extends Schemas>(
  router: Router,
  doc: RouteDoc<S>,
  guards: RequestHandler[],
  handler: (req: Request, res: Response, input: Parsed<S>) => Promise<void>,
) => {
  registerRoute(doc);
  const schemas: Schemas = {
    ...(doc.params ? { params: doc.params } : {}),
    ...(doc.query ? { query: doc.query } : {}),
    ...(doc.body ? { body: doc.body } : {}),
  };
  const run = (req: Request, res: Response, next: NextFunction) => {
    handler(req, res, res.locals.parsed as Parsed<S>).catch(next);
  };
  router[doc.method](doc.path, ...guards, validate(schemas), run);
};
