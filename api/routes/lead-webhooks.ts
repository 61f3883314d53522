/**
 * Lead webhooks for a business's CRM (owners only): register an endpoint (its signing secret is shown once and
 * stored encrypted), list and delete endpoints, read the delivery log, and replay a delivery.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { plainDeliveryReason } from '../../activities/notifications/lead-webhook-post.js';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { encryptString, randomToken } from '../../lib/crypto.js';
import type { Logger } from '../../lib/logger.js';
import { outboundPolicyFrom, registrationProblem, type ResolveHost } from '../../lib/outbound-target.js';
import { leadWebhookSettingsFrom, startLeadWebhookReplay, type TemporalTarget } from '../../starters/notification-workflows.js';
import { auditActorOf } from '../auth/actor.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import type { AuthDeps } from '../auth/deps.js';
import { pageOf } from '../conversations/page-of.js';
import { badRequest, conflict, notFound } from '../errors.js';
import * as S from '../lead-webhooks/schemas.js';
import { documentedRoute } from '../openapi/route.js';
import { mapPage, PageQuerySchema, PageSchema } from '../pagination.js';
import { leadWebhookSecretContext } from '../../domain/encryption-contexts.js';

export type LeadWebhooksRouterDeps = {
  config: Config;
  models: Models;
  log: Logger;
  auth: AuthDeps;
  temporal: TemporalTarget;
  /** Defaults to the system resolver; tests inject names that resolve to private addresses. */
  resolveHost?: ResolveHost;
};

const TAGS = ['Lead webhooks'];
const BASE = '/api/v1/businesses/:businessId/lead-webhooks';
const MAX_ENDPOINTS = 10;

type Maybe<T> = T | null | undefined;
type EndpointRow = {
  _id: string;
  url: string;
  description?: Maybe<string>;
  events: string[];
  status: string;
  disabledAt?: Maybe<Date>;
  disabledReason?: Maybe<string>;
  createdAt: Date;
};
type DeliveryRow = {
  _id: string;
  eventId: string;
  type: string;
  attempt: number;
  kind?: Maybe<string>;
  isDelivered?: Maybe<boolean>;
  statusCode?: Maybe<number>;
  durationMs?: Maybe<number>;
  error?: Maybe<string>;
  replayOf?: Maybe<string>;
  at: Date;
};

const endpointView = (e: EndpointRow) => ({
  id: e._id,
  url: e.url,
  description: e.description ?? null,
  events: e.events as (typeof S.LeadWebhookViewSchema._output)['events'],
  status: e.status as 'active' | 'disabled',
  disabledAt: e.disabledAt?.toISOString() ?? null,
  disabledReason: e.disabledReason ?? null,
  createdAt: e.createdAt.toISOString(),
});

const deliveryView = (d: DeliveryRow) => ({
  id: d._id,
  eventId: d.eventId,
  type: d.type,
  attempt: d.attempt,
  kind: (d.kind ?? 'attempt') as 'attempt' | 'gave_up',
  isDelivered: d.isDelivered ?? false,
  statusCode: d.statusCode ?? null,
  durationMs: d.durationMs ?? null,
  error: d.error ? plainDeliveryReason(d.error) : null,
  replayOf: d.replayOf ?? null,
  at: d.at.toISOString(),
});

export const leadWebhooksRouter = (deps: LeadWebhooksRouterDeps) => {
  const router = Router();
  const { models } = deps;
  const { auth } = deps;
  const owner = [authenticate(auth), requireBusiness(auth, { minRole: 'owner' })];
  const settings = leadWebhookSettingsFrom(deps.config);
  const targets = { ...outboundPolicyFrom(deps.config), resolveHost: deps.resolveHost };

  const loadEndpoint = async (businessId: string, webhookId: string) => {
    const endpoint = (await models.LeadWebhook.findOne({ _id: webhookId, businessId }).lean()) as EndpointRow | null;
    if (!endpoint) throw notFound('lead webhook');
    return endpoint;
  };

  documentedRoute(
    router,
    {
      method: 'post',
      path: BASE,
      tags: TAGS,
      params: S.BusinessParamsSchema,
      body: S.createLeadWebhookSchema(deps.config.NODE_ENV),
      summary: 'Register a CRM endpoint for lead events; the signing secret is returned once',
      responses: {
        201: S.CreatedLeadWebhookSchema,
        400: 'The URL is not valid or does not point to a public address',
        409: 'Too many endpoints',
      },
    },
    owner,
    async (req, res, { params, body }) => {
      const targetProblem = await registrationProblem(body.url, targets);
      if (targetProblem) throw badRequest(`body.url: ${targetProblem}`);
      if ((await models.LeadWebhook.countDocuments({ businessId: params.businessId })) >= MAX_ENDPOINTS)
        throw conflict(`A business can have at most ${MAX_ENDPOINTS} lead webhooks; delete one first.`);
      const id = `lwh_${randomToken(12)}`;
      const secret = `whsec_${randomToken(24)}`;
      const created = await models.LeadWebhook.create({
        _id: id,
        businessId: params.businessId,
        url: body.url,
        description: body.description,
        ...(body.events ? { events: [...new Set(body.events)] } : {}),
        secretSealed: encryptString(deps.config.ENCRYPTION_KEY, secret, leadWebhookSecretContext(id)),
        createdBy: req.auth?.kind === 'user' ? req.auth.userId : undefined,
      });
      await writeAudit(models, { ...auditActorOf(req), businessId: params.businessId, action: 'lead_webhook.created', target: id });
      res.status(201).json({ ...endpointView(created.toObject() as EndpointRow), secret });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: BASE,
      tags: TAGS,
      params: S.BusinessParamsSchema,
      summary: 'List the CRM endpoints (never their secrets)',
      responses: { 200: S.LeadWebhookViewSchema.array() },
    },
    owner,
    async (_req, res, { params }) => {
      const rows = (await models.LeadWebhook.find({ businessId: params.businessId }, { secretSealed: 0 })
        .sort({ createdAt: -1 })
        .lean()) as EndpointRow[];
      res.json(rows.map(endpointView));
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: `${BASE}/:webhookId`,
      tags: TAGS,
      params: S.LeadWebhookParamsSchema,
      summary: 'Delete a CRM endpoint; deliveries still retrying stop at their next attempt',
      responses: { 204: 'Deleted.' },
    },
    owner,
    async (req, res, { params }) => {
      const removed = await models.LeadWebhook.deleteOne({ _id: params.webhookId, businessId: params.businessId });
      if (removed.deletedCount !== 1) throw notFound('lead webhook');
      await writeAudit(models, {
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'lead_webhook.deleted',
        target: params.webhookId,
      });
      res.status(204).end();
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/:webhookId/deliveries`,
      tags: TAGS,
      params: S.LeadWebhookParamsSchema,
      query: PageQuerySchema,
      summary: 'Delivery log, newest first: one row per attempt (status code, duration, error) and one when a delivery was given up',
      responses: { 200: PageSchema(S.DeliveryViewSchema) },
    },
    owner,
    async (_req, res, { params, query }) => {
      await loadEndpoint(params.businessId, params.webhookId);
      const page = await pageOf<DeliveryRow>(
        models.WebhookDelivery,
        { businessId: params.businessId, endpointId: params.webhookId },
        query,
        { sortBy: 'at', order: 'desc' },
      );
      res.json(mapPage(page, deliveryView));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:webhookId/deliveries/:deliveryId/replay`,
      tags: TAGS,
      params: S.DeliveryParamsSchema,
      summary: 'Send a logged delivery again (a new delivery with its own attempts and retries)',
      responses: { 202: S.ReplayStartedSchema, 409: 'The endpoint is disabled' },
    },
    owner,
    async (req, res, { params }) => {
      const endpoint = await loadEndpoint(params.businessId, params.webhookId);
      const delivery = await models.WebhookDelivery.findOne({
        _id: params.deliveryId,
        businessId: params.businessId,
        endpointId: endpoint._id,
      }).lean();
      if (!delivery) throw notFound('delivery');
      if (endpoint.status !== 'active')
        throw conflict('This endpoint was disabled after repeated failures; add it again to receive events.');
      const workflowId = await startLeadWebhookReplay(
        deps.temporal,
        settings,
        { _id: delivery._id, businessId: params.businessId, endpointId: endpoint._id, eventId: delivery.eventId },
        randomUUID(),
      );
      await writeAudit(models, {
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'lead_webhook.replayed',
        target: delivery._id,
      });
      res.status(202).json({ workflowId, eventId: delivery.eventId });
    },
  );

  return router;
};
