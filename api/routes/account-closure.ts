/**
 * Closing a business account (owners): starts the accountClosureWorkflow, which disconnects everything at
 * once and erases the business's data, at once by default or after ACCOUNT_CLOSURE_GRACE_DAYS. Asking twice joins
 * the running closure.
 */
import { Router } from 'express';
import { z } from 'zod';
import { writeAudit } from '../../domain/audit.js';
import { withCallDeadline } from '../../temporal/deadline.js';
import { DAY_MS } from '../../lib/durations.js';
import { accountClosureWorkflow, accountClosureWorkflowId, type AccountClosureInput } from '../../workflows/account-closure.js';
import { auditActorOf } from '../auth/actor.js';
import { authenticate, requireBusiness, userOf } from '../auth/middleware.js';
import { conflict } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { BusinessParamsSchema } from '../schemas/common.js';
import type { PrivacyApiDeps } from '../privacy/deps.js';

const CloseBodySchema = z
  .object({
    confirm: z
      .literal(true)
      .describe('Must be true: closing erases every lead and conversation (after ACCOUNT_CLOSURE_GRACE_DAYS, 0 by default)'),
  })
  .strict();
const ClosureViewSchema = z.object({
  businessId: z.string(),
  status: z.literal('closing'),
  purgeAfter: z.string(),
  workflowId: z.string(),
});

export const accountClosureRouter = (deps: PrivacyApiDeps) => {
  const router = Router();
  const { auth } = deps;

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/businesses/:businessId/close',
      tags: ['Businesses'],
      summary: 'Close this business account (owners): channels disconnected and all data erased now (or after the configured grace days)',
      params: BusinessParamsSchema,
      body: CloseBodySchema,
      responses: {
        202: ClosureViewSchema,
        409: 'The account is already closed',
        503: 'Temporal did not answer in time; nothing was started, retry',
      },
    },
    [authenticate(auth), requireBusiness(auth, { minRole: 'owner' })],
    async (req, res, { params }) => {
      const business = await deps.models.Business.findById(params.businessId, { status: 1 }).lean();
      if (business?.status === 'closed') throw conflict('This account is already closed.');
      const user = userOf(req);
      const workflowId = accountClosureWorkflowId(params.businessId);
      const graceMs = deps.config.ACCOUNT_CLOSURE_GRACE_DAYS * DAY_MS;
      const input: AccountClosureInput = { businessId: params.businessId, requestedBy: user.userId, graceMs };
      // Started before anything is written here: after a missed deadline (503) the API has written nothing, and a retry joins whatever did start.
      await withCallDeadline(deps.temporal, () =>
        deps.temporal.client.workflow.start(accountClosureWorkflow, {
          workflowId,
          taskQueue: deps.temporal.taskQueue,
          args: [input],
          // A second click joins the closure already under way rather than starting another grace period.
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      );
      await writeAudit(deps.models, {
        key: `closure:${params.businessId}:requested`,
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'account_closure.requested',
        target: params.businessId,
      });
      res.status(202).json({
        businessId: params.businessId,
        status: 'closing',
        purgeAfter: new Date(Date.now() + graceMs).toISOString(),
        workflowId,
      });
    },
  );

  return router;
};
