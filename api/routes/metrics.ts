/** Prometheus scraping. Route names, counts and latencies tell an outsider what runs here: ops only, like the codec endpoint. */
import { Router } from 'express';
import { requireOpsToken } from '../auth/ops-token.js';
import type { Metrics } from '../metrics.js';
import { documentedRoute } from '../openapi/route.js';

export const metricsRouter = (deps: { metrics: Metrics; opsToken?: string }) => {
  const router = Router();
  documentedRoute(
    router,
    {
      method: 'get',
      path: '/metrics',
      tags: ['Ops'],
      auth: 'ops',
      summary: 'Prometheus metrics (text exposition format)',
      produces: 'text/plain',
      responses: { 200: 'Metrics in the Prometheus text format', 503: 'OPS_TOKEN is not set' },
    },
    [requireOpsToken(deps.opsToken, 'Metrics scraping')],
    async (_req, res) => {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  );
  return router;
};
