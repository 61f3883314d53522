/**
 * Staff: prospects (added one by one or imported from CSV, streamed, with a report of rejected rows), marking a
 * reply by hand, and the suppression list. Every change that stops sequences signals their workflows after the
 * records are written.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { writeAudit } from '../../domain/audit.js';
import { markReplied, stopProspectEnrollments } from '../../domain/outreach/events.js';
import { importProspectsCsv, ProspectImportError, prospectDoc } from '../../domain/outreach/import.js';
import { addressHashes, emailDomainOf, normalizeDomain, suppress, suppressionOf } from '../../domain/outreach/suppression.js';
import { signalOutreachStop } from '../../starters/outreach.js';
import { authenticate, requirePlatformRole, userOf } from '../auth/middleware.js';
import { csvRow } from '../leads/csv.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { findPage } from '../pagination.js';
import { OUTREACH_ROLES, type OutreachApiDeps } from './deps.js';
import * as S from './schemas.js';
import { prospectView } from './views.js';

const TAGS = ['Outreach'];
const BASE = '/api/v1/outreach';
const STAFF_ONLY = 'platform-wide staff route';
const MAX_IMPORT_ROWS = 50_000;

export const outreachProspectRoutes = (router: Router, deps: OutreachApiDeps) => {
  const { models, config } = deps;
  const ring = config.ENCRYPTION_KEY;
  const staff = [authenticate(deps.auth), requirePlatformRole(deps.auth, [...OUTREACH_ROLES])];
  const audit = (req: Parameters<typeof userOf>[0], action: string, details: Record<string, string | number | boolean | null>) => {
    const user = userOf(req);
    return writeAudit(models, { actorType: 'platform', actorId: user.userId, actorRole: user.platformRole, action, details });
  };

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/prospects`,
      tags: TAGS,
      summary: 'Add one prospect (staff)',
      body: S.ProspectBodySchema,
      example: { company: 'Acme Dental', email: 'info@acme-dental.example', source: 'trade directory', timezone: 'Europe/London' },
      responses: { 201: S.ProspectViewSchema, 409: 'Already a prospect, or the address or its domain is suppressed' },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res, { body }) => {
      if (await suppressionOf(models, ring, body.email)) throw conflict('This address or its domain is on the suppression list.');
      if (await models.OutreachProspect.exists({ emailHash: { $in: addressHashes(ring, 'email', body.email) } }))
        throw conflict('This address is already a prospect.');
      const row = await models.OutreachProspect.create(prospectDoc(ring, body));
      await audit(req, 'outreach.prospect_added', { prospectId: row._id });
      res.status(201).json(prospectView(row.toObject()));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/prospects`,
      tags: TAGS,
      summary: 'Prospects, newest first (staff)',
      query: S.ProspectListQuerySchema,
      responses: { 200: S.ProspectPageSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (_req, res, { query }) => {
      const page = await findPage(models.OutreachProspect, {}, query, { sortBy: 'createdAt', order: 'desc' });
      res.json({ data: page.data.map(prospectView), nextCursor: page.nextCursor });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/prospects/import`,
      tags: TAGS,
      summary: 'Import prospects from CSV (staff): columns company, email, contact_name, website, source, lawful_basis, timezone',
      description: `Send the file as the body (Content-Type: text/csv), up to ${MAX_IMPORT_ROWS} rows. Rows with a bad email, a duplicate or an address already suppressed are rejected and listed in the answer and its CSV report.`,
      rawBody: { type: 'text/csv', schema: z.string() },
      responses: { 200: S.ImportReportSchema, 400: 'Not a CSV with a header row naming company and email' },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res) => {
      if (!req.is('text/csv') && !req.is('text/plain')) throw badRequest('Send the CSV file as the body with Content-Type: text/csv.');
      try {
        const report = await importProspectsCsv(models, ring, req, {
          importedBy: userOf(req).userId,
          maxRows: MAX_IMPORT_ROWS,
        });
        await audit(req, 'outreach.prospects_imported', {
          importId: report.importId,
          accepted: report.accepted,
          rejected: report.rejected.length,
        });
        res.json({ ...report, reportUrl: `${BASE}/imports/${report.importId}/report.csv` });
      } catch (err) {
        if (err instanceof ProspectImportError) throw badRequest(err.message);
        throw err;
      }
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/imports/:importId/report.csv`,
      tags: TAGS,
      summary: "An import's rejected rows as CSV: line, email, reason (staff)",
      params: S.ImportParamsSchema,
      produces: 'text/csv',
      responses: { 200: 'text/csv attachment' },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (_req, res, { params }) => {
      const row = await models.OutreachImport.findById(params.importId).lean();
      if (!row) throw notFound('import');
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-disposition', `attachment; filename="outreach-import-${row._id}-rejected.csv"`);
      res
        .type('text/csv')
        .send(csvRow(['line', 'email', 'reason']) + row.rejected.map((r) => csvRow([r.line, r.email, r.reason])).join(''));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/prospects/:prospectId/replied`,
      tags: TAGS,
      summary: 'Mark that the prospect replied (staff): their sequences stop',
      params: S.ProspectParamsSchema,
      responses: { 200: z.object({ stoppedSequences: z.number() }) },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res, { params }) => {
      if (!(await models.OutreachProspect.exists({ _id: params.prospectId }))) throw notFound('prospect');
      const stopped = await markReplied(models, params.prospectId);
      await signalOutreachStop(deps.temporal, stopped, 'replied');
      await audit(req, 'outreach.reply_marked', { prospectId: params.prospectId });
      res.json({ stoppedSequences: stopped.length });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/suppressions`,
      tags: TAGS,
      summary: 'Suppress an address or a whole domain (staff, or an objection): never written to again',
      body: S.SuppressionBodySchema,
      example: { kind: 'domain', value: 'example.com', reason: 'staff' },
      responses: { 200: S.SuppressionResultSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res, { body }) => {
      const value = body.kind === 'email' ? body.value.toLowerCase() : normalizeDomain(body.value);
      const { isNew } = await suppress(models, ring, { kind: body.kind, value, reason: body.reason, addedBy: userOf(req).userId });
      // Stop the running sequences the suppression covers (the check before every send would catch them too).
      const prospects =
        body.kind === 'email'
          ? await models.OutreachProspect.find({ emailHash: { $in: addressHashes(ring, 'email', value) } }, { _id: 1 }).lean()
          : (
              await models.OutreachProspect.find(
                { email: { $regex: `@${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` } },
                { _id: 1, email: 1 },
              ).lean()
            ).filter((p) => emailDomainOf(p.email) === value);
      let stoppedSequences = 0;
      for (const p of prospects) {
        const ids = await stopProspectEnrollments(models, p._id, 'suppressed');
        stoppedSequences += await signalOutreachStop(deps.temporal, ids, 'suppressed');
      }
      await audit(req, 'outreach.suppression_added', { kind: body.kind, reason: body.reason, isNew });
      res.json({ isNew, stoppedSequences });
    },
  );
};
