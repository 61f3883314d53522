/**
 * Data subject rights requests (GDPR art. 15–21): business owners for their own customers, LuxLeads
 * compliance staff for any business. Each request is a workflow with a 30-day deadline; its history is
 * its audit trail, and an access request's export is downloadable only by whoever asked, or compliance.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { writeAudit } from '../../domain/audit.js';
import { decryptString } from '../../lib/crypto.js';
import { startPrivacyRequest } from '../../starters/privacy-requests.js';
import { auditActorOf } from '../auth/actor.js';
import { authenticate, requireBusiness, requirePlatformRole, userOf } from '../auth/middleware.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import * as V from '../privacy/request-views.js';
import { BusinessParamsSchema } from '../schemas/common.js';
import type { PrivacyApiDeps } from '../privacy/deps.js';
import { exportContext } from '../../domain/encryption-contexts.js';
import { DUE_AFTER_MS } from '../../workflows/privacy-request-tracker.js';

const TAGS = ['Privacy'];
const BUSINESS_BASE = '/api/v1/businesses/:businessId/rights-requests';
const COMPLIANCE_BASE = '/api/v1/compliance/rights-requests';

export const rightsRequestsRouter = (deps: PrivacyApiDeps) => {
  const router = Router();
  const { models, config } = deps;
  const { auth } = deps;
  const starter = { ...deps.temporal, models, keyRing: config.ENCRYPTION_KEY };
  const owner = [authenticate(auth), requireBusiness(auth, { minRole: 'owner' })];
  const ownerOrStaff = [authenticate(auth), requireBusiness(auth, { minRole: 'owner', allowPlatform: true })];
  const compliance = [authenticate(auth), requirePlatformRole(auth, ['compliance'])];
  const view = (row: Parameters<typeof V.requestView>[0]) => V.requestView(row, config.PUBLIC_URL);

  const create = async (
    req: Request,
    body: z.infer<typeof V.RightsRequestBodySchema>,
    businessId: string | undefined,
    source: 'business' | 'compliance',
    emailed: { receivedAt?: string; replyTo?: string } = {},
  ) => {
    const user = userOf(req);
    const receivedAt = emailed.receivedAt ? new Date(emailed.receivedAt) : undefined;
    if (receivedAt && (receivedAt.getTime() > Date.now() + 60_000 || receivedAt.getTime() < Date.now() - DUE_AFTER_MS))
      throw badRequest('receivedAt: must be when the email arrived, within the last 30 days and not in the future');
    const started = await startPrivacyRequest(starter, {
      kind: body.kind,
      source,
      subject: V.toSubject(body.subject),
      businessId,
      correction: body.correction,
      requestedBy: { type: source === 'compliance' ? 'platform' : 'user', id: user.userId },
      ...(receivedAt ? { receivedAt } : {}),
      ...(emailed.replyTo ? { notifyEmail: emailed.replyTo } : {}),
    });
    const row = await models.PrivacyRequest.findById(started.requestId).lean();
    if (!row) throw new Error('privacy request row missing right after it was written');
    const actor =
      source === 'compliance' ? { actorType: 'platform' as const, actorId: user.userId, actorRole: user.platformRole } : auditActorOf(req);
    await writeAudit(models, {
      key: `${row._id}:requested`,
      ...actor,
      businessId,
      action: `privacy.${body.kind}.requested`,
      target: row.subjectHash,
      details: { requestId: row._id },
    });
    return view(row);
  };

  const detail = async (filter: Record<string, unknown>) => {
    const row = await models.PrivacyRequest.findOne(filter).lean();
    if (!row) throw notFound('rights request');
    return { ...view(row), history: await V.requestHistory(models, row._id) };
  };

  const sendExport = async (req: Request, res: Response, filter: Record<string, unknown>) => {
    const row = await models.PrivacyRequest.findOne(filter).select('+exportSealed').lean();
    if (!row) throw notFound('rights request');
    const a = req.auth;
    const isRequester = a?.kind === 'user' && row.requestedById === a.userId;
    if (!isRequester && !(a?.kind === 'user' && a.platformRole === 'compliance'))
      throw forbidden('Only whoever made this request, or LuxLeads compliance, may download its export.');
    if (row.kind !== 'access' || !row.exportSealed)
      throw conflict(
        row.kind === 'access' ? 'The export is not ready yet; check the request status.' : 'Only access requests have an export.',
      );
    const actor = isRequester
      ? auditActorOf(req)
      : { actorType: 'platform' as const, actorId: a?.kind === 'user' ? a.userId : undefined, actorRole: 'compliance' };
    await writeAudit(models, {
      ...actor,
      businessId: row.businessId ?? undefined,
      action: 'privacy.access.export_downloaded',
      target: row.subjectHash,
      details: { requestId: row._id },
    });
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-disposition', `attachment; filename="subject-export-${row._id}.json"`);
    res.type('application/json').send(decryptString(config.ENCRYPTION_KEY, row.exportSealed, exportContext(row._id)));
  };

  documentedRoute(
    router,
    {
      method: 'post',
      path: BUSINESS_BASE,
      tags: TAGS,
      summary: "Open a rights request about one of this business's customers (owners)",
      params: BusinessParamsSchema,
      body: V.RightsRequestBodySchema,
      example: { kind: 'access', subject: { email: 'customer@example.com' } },
      moreExamples: [
        { kind: 'correction', subject: { email: 'customer@example.com' }, correction: { name: 'Corrected Name' } },
        { kind: 'deletion', subject: { email: 'customer@example.com' } },
        { kind: 'restriction', subject: { email: 'customer@example.com' } },
        { kind: 'objection', subject: { email: 'customer@example.com' } },
      ],
      responses: { 202: V.RequestViewSchema },
    },
    owner,
    async (req, res, { params, body }) => {
      res.status(202).json(await create(req, body, params.businessId, 'business'));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: BUSINESS_BASE,
      tags: TAGS,
      summary: "This business's rights requests, overdue first",
      params: BusinessParamsSchema,
      query: V.RequestListQuerySchema,
      responses: { 200: V.RequestListSchema },
    },
    ownerOrStaff,
    async (_req, res, { params, query }) => {
      res.json({ data: (await V.listRequests(models, { businessId: params.businessId }, query)).map(view) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BUSINESS_BASE}/:requestId`,
      tags: TAGS,
      summary: 'One rights request with its audit history',
      params: V.BusinessRequestParamsSchema,
      responses: { 200: V.RequestDetailSchema },
    },
    ownerOrStaff,
    async (_req, res, { params }) => {
      res.json(await detail({ _id: params.requestId, businessId: params.businessId }));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BUSINESS_BASE}/:requestId/export`,
      tags: TAGS,
      summary: 'Download an access request’s JSON export (the requester only)',
      params: V.BusinessRequestParamsSchema,
      responses: {
        200: 'application/json attachment: everything held on the subject',
        403: 'Not the requester',
        409: 'Not an access request, or not ready yet',
      },
    },
    ownerOrStaff,
    async (req, res, { params }) => sendExport(req, res, { _id: params.requestId, businessId: params.businessId }),
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: COMPLIANCE_BASE,
      tags: TAGS,
      summary: 'Open a rights request for any business, or all of them (compliance staff)',
      body: V.ComplianceRequestBodySchema,
      responses: { 202: V.RequestViewSchema, 403: 'Not compliance staff' },
      skipTenantWalk: 'platform-wide compliance route',
    },
    compliance,
    async (req, res, { body }) => {
      res.status(202).json(await create(req, body, body.businessId, 'compliance', { receivedAt: body.receivedAt, replyTo: body.replyTo }));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: COMPLIANCE_BASE,
      tags: TAGS,
      summary: 'Every rights and deletion request with status and due date, overdue first (compliance staff)',
      query: V.RequestListQuerySchema,
      responses: { 200: V.RequestListSchema },
      skipTenantWalk: 'platform-wide compliance route',
    },
    compliance,
    async (_req, res, { query }) => {
      res.json({ data: (await V.listRequests(models, {}, query)).map(view) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${COMPLIANCE_BASE}/:requestId`,
      tags: TAGS,
      summary: 'One request with its audit history (compliance staff)',
      params: V.RequestParamsSchema,
      responses: { 200: V.RequestDetailSchema },
      skipTenantWalk: 'platform-wide compliance route',
    },
    compliance,
    async (_req, res, { params }) => {
      res.json(await detail({ _id: params.requestId }));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${COMPLIANCE_BASE}/:requestId/export`,
      tags: TAGS,
      summary: 'Download an access request’s JSON export (compliance staff)',
      params: V.RequestParamsSchema,
      responses: { 200: 'application/json attachment', 409: 'Not an access request, or not ready yet' },
      skipTenantWalk: 'platform-wide compliance route',
    },
    compliance,
    async (req, res, { params }) => sendExport(req, res, { _id: params.requestId }),
  );

  return router;
};
