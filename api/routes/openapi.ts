/** The OpenAPI 3.1 document and its human-readable rendering; both built from the route registry. */
import { Router } from 'express';
import { z } from 'zod';
import { buildOpenApiDocument } from '../openapi/document.js';
import { renderDocsPage } from '../openapi/docs-page.js';
import { documentedPage, documentedRoute } from '../openapi/route.js';

const TAGS = ['Docs'];

export const openApiRouter = (opts: { publicUrl: string }) => {
  const router = Router();
  // Built on request: routers register while the app is assembled, and the work is small.
  documentedRoute(
    router,
    {
      method: 'get',
      path: '/openapi.json',
      tags: TAGS,
      auth: 'none',
      summary: 'This document (OpenAPI 3.1)',
      responses: { 200: z.record(z.string(), z.unknown()) },
    },
    [],
    async (_req, res) => {
      res.json(buildOpenApiDocument({ serverUrl: opts.publicUrl }));
    },
  );
  documentedPage(router, { path: '/docs', tags: TAGS, summary: 'This document as one self-contained HTML page' }, (_req, res) => {
    res.type('html').send(renderDocsPage(buildOpenApiDocument({ serverUrl: opts.publicUrl })));
  });
  return router;
};
