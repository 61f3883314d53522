/**
 * How a route is mounted: one function per kind, each registering the route's documentation (so /openapi.json,
 * /docs and the tenant-isolation walk see every route) from the same schemas that validate it.
 *
 * - `documentedRoute`: the JSON API. Guards (body parser, authentication, tenant access) run first, then the
 *   documented params/query/body schemas, then the handler with the parsed values.
 * - `documentedWebhook`: a provider calling us. The body is read raw and `verify` checks the signature on those
 *   exact bytes before anything else looks at them.
 * - `documentedPage`: a page or script for browsers (HTML, the widget bundle): GET, public. A page never answers
 *   a problem document for a bad link, so its query fields `.catch()` instead of failing.
 *
 * Express 5 hands a rejected handler to the error middleware: handlers throw, nothing wraps them.
 *
 *   documentedRoute(router, { method: 'get', path: '/api/v1/businesses/:businessId', summary: 'Read a business',
 *     params: BusinessParamsSchema, responses: { 200: BusinessViewSchema } }, [authenticate(auth), requireBusiness(auth)],
 *     async (req, res, { params }) => { ... });
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { validate, type InvalidRequestHandler, type Parsed } from '../middleware/validate.js';
import { registerRoute, type RouteDoc, type Schemas } from './registry.js';

const schemasOf = (doc: Schemas): Schemas => ({
  ...(doc.params ? { params: doc.params } : {}),
  ...(doc.query ? { query: doc.query } : {}),
  ...(doc.body ? { body: doc.body } : {}),
});

export const documentedRoute = <S extends Schemas>(
  router: Router,
  doc: RouteDoc<S>,
  guards: RequestHandler[],
  handler: (req: Request, res: Response, input: Parsed<S>) => Promise<void>,
  opts: { onInvalid?: InvalidRequestHandler } = {},
) => {
  registerRoute(doc);
  router[doc.method](doc.path, ...guards, validate(schemasOf(doc), opts.onInvalid), (req, res) =>
    handler(req, res, res.locals.parsed as Parsed<S>),
  );
};

export type WebhookDoc = Omit<RouteDoc, 'method' | 'auth' | 'params' | 'query' | 'body' | 'example' | 'moreExamples'> & {
  rawBody: NonNullable<RouteDoc['rawBody']>;
};

export type Webhook<V> = {
  /** Largest body accepted (body-parser syntax, e.g. '2mb'); larger answers 413. */
  limit: string;
  /** Checks the signature on the raw bytes and returns what was signed; throws an AppError to refuse. */
  verify: (raw: Buffer, req: Request) => V | Promise<V>;
};

export const documentedWebhook = <V>(
  router: Router,
  doc: WebhookDoc,
  webhook: Webhook<V>,
  handler: (req: Request, res: Response, input: { raw: Buffer; verified: V }) => Promise<void>,
) => {
  registerRoute({ ...doc, method: 'post', auth: 'none' });
  router.post(doc.path, express.raw({ type: () => true, limit: webhook.limit }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verified = await webhook.verify(raw, req);
    await handler(req, res, { raw, verified });
  });
};

export type PageDoc<Q extends z.ZodType | undefined> = Omit<
  RouteDoc,
  'method' | 'auth' | 'params' | 'query' | 'body' | 'responses' | 'example' | 'moreExamples'
> & {
  query?: Q;
  /** Defaults to `{ 200: 'The page' }`. */
  responses?: RouteDoc['responses'];
};

export const documentedPage = <Q extends z.ZodType | undefined = undefined>(
  router: Router,
  doc: PageDoc<Q>,
  handler: (req: Request, res: Response, input: Parsed<{ query: Q }>) => void | Promise<void>,
) => {
  const query = doc.query as z.ZodType | undefined;
  registerRoute({
    ...doc,
    method: 'get',
    auth: 'none',
    produces: doc.produces ?? 'text/html',
    responses: doc.responses ?? { 200: 'The page' },
    ...(query ? { query } : {}),
  });
  router.get(doc.path, validate(query ? { query } : {}), (req, res) => handler(req, res, res.locals.parsed as Parsed<{ query: Q }>));
};
