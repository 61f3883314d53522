/** The dashboard's leads (members and owners): filtered list, CSV export, detail, edits and merging duplicates. */
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { Logger } from '../../lib/logger.js';
import { auditActorOf } from '../auth/actor.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import type { AuthDeps } from '../auth/deps.js';
import { pageOf } from '../conversations/page-of.js';
import { leadsCsv } from '../leads/csv.js';
import { leadFilter } from '../leads/filters.js';
import { mergeLeads } from '../leads/merge.js';
import * as S from '../leads/schemas.js';
import { loadLead, updateLead } from '../leads/update.js';
import { leadWebhookSettingsFrom, startLeadWebhookDeliveries, type TemporalTarget } from '../../starters/notification-workflows.js';
import { leadView } from '../leads/views.js';
import type { LeadRow } from '../../domain/leads.js';
import { documentedRoute } from '../openapi/route.js';
import { mapPage, PageSchema } from '../pagination.js';

export type LeadsRouterDeps = { config: Config; models: Models; log: Logger; auth: AuthDeps; temporal?: TemporalTarget };

const TAGS = ['Leads'];
const BASE = '/api/v1/businesses/:businessId/leads';

export const leadsRouter = (deps: LeadsRouterDeps) => {
  const router = Router();
  const { models } = deps;
  const { auth } = deps;
  const member = [authenticate(auth), requireBusiness(auth)];

  documentedRoute(
    router,
    {
      method: 'get',
      path: BASE,
      tags: TAGS,
      summary: 'Leads, newest first; filter by status, channel, urgency, dates, or search name/email/phone/enquiry with q',
      params: S.BusinessParamsSchema,
      query: S.LeadListQuerySchema,
      responses: { 200: PageSchema(S.LeadViewSchema) },
    },
    member,
    async (_req, res, { params, query }) => {
      const { limit, cursor, ...filters } = query;
      const page = await pageOf<LeadRow>(
        models.Lead,
        leadFilter(params.businessId, filters),
        { limit, cursor },
        { sortBy: 'createdAt', order: 'desc' },
      );
      res.json(mapPage(page, leadView));
    },
  );

  // Before `/:leadId`, which would otherwise take "export.csv" as an id.
  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/export.csv`,
      tags: TAGS,
      summary: 'All matching leads as CSV (same filters as the list), streamed',
      params: S.BusinessParamsSchema,
      query: S.LeadExportQuerySchema,
      responses: { 200: 'text/csv, one header row then one row per lead' },
    },
    member,
    async (req, res, { params, query }) => {
      const cursor = models.Lead.find(leadFilter(params.businessId, query)).sort({ createdAt: -1, _id: -1 }).lean().cursor();
      res.status(200).type('text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="leads-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('cache-control', 'no-store');
      try {
        await pipeline(leadsCsv(cursor as AsyncIterable<LeadRow>), res);
      } catch (err) {
        // Headers are gone by now: all we can do is stop the download and say why in the log.
        deps.log.warn({ reqId: req.id, err: (err as Error).message }, 'lead export stopped early');
        res.destroy();
      }
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/:leadId`,
      tags: TAGS,
      summary: 'One lead (a merged duplicate shows mergedInto)',
      params: S.LeadParamsSchema,
      responses: { 200: S.LeadViewSchema },
    },
    member,
    async (_req, res, { params }) => {
      res.json(leadView(await loadLead(models, params.businessId, params.leadId)));
    },
  );

  documentedRoute(
    router,
    {
      method: 'patch',
      path: `${BASE}/:leadId`,
      tags: TAGS,
      summary: 'Change status, notes or assignee (a member of this business)',
      params: S.LeadParamsSchema,
      body: S.LeadPatchSchema,
      example: { status: 'contacted', notes: 'Called back, wants a Tuesday slot.' },
      responses: { 200: S.LeadViewSchema, 409: 'the lead was merged into another' },
    },
    member,
    async (req, res, { params, body }) => {
      // Status changes and edits reach the business's CRM webhooks as lead.status_changed / lead.updated.
      const onEvent = deps.temporal
        ? (e: { _id: string; businessId: string; kind: string }) =>
            startLeadWebhookDeliveries(deps.temporal!, models, leadWebhookSettingsFrom(deps.config), e)
        : undefined;
      res.json(leadView(await updateLead(models, { ...params, patch: body, actor: auditActorOf(req), onEvent })));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:leadId/merge`,
      tags: TAGS,
      summary: 'Merge this duplicate into another lead; returns the merged lead',
      params: S.LeadParamsSchema,
      body: S.MergeBodySchema,
      example: { intoLeadId: 'lead_0123456789abcdef01234567' },
      responses: { 200: S.LeadViewSchema, 409: 'already merged' },
    },
    member,
    async (req, res, { params, body }) => {
      res.json(leadView(await mergeLeads(models, { ...params, intoLeadId: body.intoLeadId, actor: auditActorOf(req) })));
    },
  );

  return router;
};
