/** The public status page of a privacy request, by confirmation code: read from privacy_requests, never from Temporal. */
import type { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { wantsJson } from './form-answer.js';
import type { PrivacyRouterDeps } from './deps.js';
import { companyOf } from '../pages/layout.js';
import { notFoundPageHtml, statusPageHtml, type PublicRequestStatus } from './pages.js';

const CODE = /^[a-f0-9]{24}$/;

export const statusUrlOf = (publicUrl: string) => {
  const base = publicUrl.replace(/\/+$/, '');
  return (code: string) => `${base}/data-deletion/${code}`;
};

const PublicStatusSchema = z.object({
  confirmationCode: z.string(),
  kind: z.string(),
  status: z.enum(['received', 'in_progress', 'completed', 'overdue']),
  receivedAt: z.string(),
  dueAt: z.string(),
  completedAt: z.string().nullable(),
  stepsCompleted: z.number(),
});

export const requestStatusPage = (router: Router, deps: PrivacyRouterDeps) => {
  documentedRoute(
    router,
    {
      method: 'get',
      path: '/data-deletion/:code',
      tags: ['Privacy'],
      auth: 'none',
      summary: 'Status of a privacy request by confirmation code (HTML, or JSON with Accept: application/json)',
      // Not a validation error: an unknown or malformed code is the same "no such request" page.
      params: z.object({ code: z.string().describe('The confirmation code: 24 hexadecimal characters') }),
      responses: { 200: PublicStatusSchema, 404: 'No request has this confirmation code' },
      skipTenantWalk: 'public page keyed by an unguessable code',
    },
    [],
    async (req, res, { params }) => {
      res.setHeader('cache-control', 'no-store');
      const doc = CODE.test(params.code)
        ? await deps.models.PrivacyRequest.findById(params.code, {
            kind: 1,
            status: 1,
            receivedAt: 1,
            dueAt: 1,
            completedAt: 1,
            steps: 1,
          }).lean()
        : null;
      if (!doc) {
        if (wantsJson(req)) throw new AppError(404, 'not-found', 'Not found', 'No request has this confirmation code.');
        res
          .status(404)
          .type('html')
          .send(notFoundPageHtml(companyOf(res)));
        return;
      }
      const view: PublicRequestStatus & z.infer<typeof PublicStatusSchema> = {
        confirmationCode: doc._id,
        kind: doc.kind,
        status: doc.status,
        receivedAt: doc.receivedAt.toISOString(),
        dueAt: doc.dueAt.toISOString(),
        completedAt: doc.completedAt?.toISOString() ?? null,
        stepsCompleted: doc.steps?.length ?? 0,
      };
      if (wantsJson(req)) res.json(view);
      else res.type('html').send(statusPageHtml(view, companyOf(res)));
    },
  );
};
