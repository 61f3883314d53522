/** The audit trail of one business, newest first, for its owners and for platform staff (whose read is itself audited). */
import { Router } from 'express';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import { documentedRoute } from '../openapi/route.js';
import { findPage, mapPage, PageQuerySchema, PageSchema } from '../pagination.js';
import { AuditEntryViewSchema } from '../schemas/access.js';
import { BusinessParamsSchema } from '../schemas/common.js';

export const auditRouter = (d: AuthDeps) => {
  const router = Router();
  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/audit',
      tags: ['audit'],
      params: BusinessParamsSchema,
      query: PageQuerySchema,
      summary: 'List audit entries, newest first (owners and platform staff)',
      responses: { 200: PageSchema(AuditEntryViewSchema) },
    },
    [authenticate(d), requireBusiness(d, { minRole: 'owner', allowPlatform: true })],
    async (_req, res, { params, query }) => {
      const page = await findPage(d.models.AuditEntry, { businessId: params.businessId }, query, { sortBy: 'at', order: 'desc' });
      res.json(
        mapPage(page, (e) => ({
          id: e._id,
          at: e.at.toISOString(),
          actorType: e.actorType,
          actorId: e.actorId ?? null,
          actorRole: e.actorRole ?? null,
          action: e.action,
          target: e.target ?? null,
          details: (e.details ?? {}) as Record<string, unknown>,
        })),
      );
    },
  );
  return router;
};
