/** The OpenAPI 3.1 document and its human-readable rendering; both built from the route registry. */
import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.js';
import { renderDocsPage } from '../openapi/docs-page.js';

export const openApiRouter = (opts: { publicUrl: string }) => {
  const router = Router();
  // Built on request: routers register while the app is assembled, and the work is small.
  router.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument({ serverUrl: opts.publicUrl }));
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(renderDocsPage(buildOpenApiDocument({ serverUrl: opts.publicUrl })));
  });
  return router;
};
