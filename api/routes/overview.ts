/** The web app's overview numbers and the data-retention facts it shows: small read-only endpoints. */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import { notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { overviewOf } from '../overview/stats.js';
import { BusinessParamsSchema } from '../schemas/common.js';

const count = z.number().int();
const OverviewSchema = z.object({
  from: z.string(),
  timeZone: z.string(),
  leadsPerDay: z.array(
    z.object({
      date: z.string().describe('YYYY-MM-DD in the business time zone'),
      messenger: count,
      instagram: count,
      web: count,
      total: count,
    }),
  ),
  leadsByChannel: z.object({ messenger: count, instagram: count, web: count }),
  leadCount: count,
  medianFirstReplySeconds: z.number().nullable().describe('first customer message to first reply sent; null without replies'),
  waitingForPerson: count.describe('conversations flagged for a person'),
  channelsNeedingReconnect: z.array(
    z.object({ id: z.string(), kind: z.string(), name: z.string().nullable(), statusReason: z.string().nullable() }),
  ),
});
type RetentionConfig = Pick<
  Config,
  | 'CONVERSATION_RETENTION_DAYS'
  | 'NOTIFICATION_RETENTION_DAYS'
  | 'WEBHOOK_DELIVERY_RETENTION_DAYS'
  | 'AUDIT_RETENTION_DAYS'
  | 'SESSION_RETENTION_GRACE_DAYS'
  | 'ACCOUNT_CLOSURE_GRACE_DAYS'
>;
const OverviewQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(14) });

const RetentionSchema = z.object({
  conversationInactivityDays: count.describe('a conversation and its transcript are erased after this many days without messages'),
  deletionRequestDays: count.describe('a deletion or access request is completed within this many days'),
  accountClosureDays: count.describe('after closing the account, all its data is erased within this many days (0: at once)'),
  notificationDays: count,
  webhookDeliveryDays: count,
  auditDays: count,
  sessionGraceDays: count,
});

export const overviewRouter = (deps: { models: Models; auth: AuthDeps; retention: RetentionConfig }) => {
  const router = Router();
  const { auth } = deps;

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/overview',
      tags: ['Overview'],
      summary: 'Leads per day and per channel, median first-reply time, conversations waiting for a person, channels to reconnect',
      params: BusinessParamsSchema,
      query: OverviewQuerySchema,
      responses: { 200: OverviewSchema },
    },
    [authenticate(auth), requireBusiness(auth)],
    async (_req, res, { params, query }) => {
      const business = await deps.models.Business.findById(params.businessId, { timezone: 1 }).lean();
      if (!business) throw notFound('business');
      res.json(await overviewOf(deps.models, params.businessId, { days: query.days, timeZone: business.timezone ?? 'UTC' }));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/retention',
      tags: ['Overview'],
      auth: 'none',
      summary: 'How long LuxLeads keeps each kind of record (from this deployment’s configuration)',
      responses: { 200: RetentionSchema },
    },
    [],
    async (_req, res) => {
      const c = deps.retention;
      res.json({
        conversationInactivityDays: c.CONVERSATION_RETENTION_DAYS,
        deletionRequestDays: 30,
        accountClosureDays: c.ACCOUNT_CLOSURE_GRACE_DAYS,
        notificationDays: c.NOTIFICATION_RETENTION_DAYS,
        webhookDeliveryDays: c.WEBHOOK_DELIVERY_RETENTION_DAYS,
        auditDays: c.AUDIT_RETENTION_DAYS,
        sessionGraceDays: c.SESSION_RETENTION_GRACE_DAYS,
      });
    },
  );
  return router;
};
