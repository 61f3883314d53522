/**
 * Meta's data deletion callback: a verified signed_request starts the DataDeletionWorkflow for that person and
 * answers the status page URL and confirmation code Meta shows them. Redelivery lands on the same request.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { startPrivacyRequest } from '../../starters/privacy-requests.js';
import { AppError } from '../errors.js';
import { signedRequestBody, signedRequestCallback } from '../meta/signed-callback.js';
import { documentedWebhook } from '../openapi/route.js';
import type { PrivacyRouterDeps } from './deps.js';
import { statusUrlOf } from './request-status.js';

export const metaDeletionCallback = (router: Router, deps: PrivacyRouterDeps) => {
  const { config, models } = deps;
  const starter = { ...deps.temporal, models, keyRing: config.ENCRYPTION_KEY };
  const statusUrl = statusUrlOf(config.PUBLIC_URL);

  documentedWebhook(
    router,
    {
      path: '/webhooks/meta/data-deletion',
      tags: ['Privacy'],
      summary: "Meta's data deletion callback (form field signed_request)",
      description: 'application/x-www-form-urlencoded `signed_request`, verified with META_APP_SECRET; answers { url, confirmation_code }.',
      rawBody: signedRequestBody,
      responses: {
        200: z.object({ url: z.string(), confirmation_code: z.string() }),
        400: 'signed_request missing, forged or not HMAC-SHA256',
      },
    },
    signedRequestCallback(config.META_APP_SECRET, 'nothing was started'),
    async (_req, res, { verified }) => {
      const { user_id: asid, issued_at: issuedAt } = verified;
      // Keyed by user and issue time: Meta redelivering the same request lands on the same id, row and workflow.
      const started = await startPrivacyRequest(starter, {
        kind: 'deletion',
        source: 'meta_callback',
        subject: { asid },
        requestedBy: { type: 'meta' },
        dedupeKey: `meta:${asid}:${issuedAt ?? 'none'}`,
      }).catch((err: unknown) => {
        deps.log.error({ err: (err as Error).message }, 'could not start a data deletion request');
        throw new AppError(
          503,
          'temporarily-unavailable',
          'Try again later',
          'The request could not be recorded durably; Meta will retry.',
        );
      });
      res.json({ url: statusUrl(started.requestId), confirmation_code: started.requestId });
    },
  );
};
