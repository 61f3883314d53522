/** Business API keys: created by owners, shown once, listed without secrets, revoked at once. */
import { Router } from 'express';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { randomToken } from '../../lib/crypto.js';
import { auditActorOf } from '../auth/actor.js';
import { generateApiKey } from '../auth/api-key-secrets.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import { notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { ApiKeyParamsSchema, ApiKeyViewSchema, CreateApiKeySchema, CreatedApiKeySchema } from '../schemas/access.js';
import { BusinessParamsSchema } from '../schemas/common.js';

type ApiKeyRow = Awaited<ReturnType<Models['ApiKey']['findOne']>> & object;
const toView = (k: Pick<ApiKeyRow, '_id' | 'name' | 'prefix' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>) => ({
  id: k._id,
  name: k.name ?? null,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export const apiKeysRouter = (d: AuthDeps) => {
  const router = Router();
  const owner = [authenticate(d), requireBusiness(d, { minRole: 'owner' })];

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/businesses/:businessId/api-keys',
      tags: ['api-keys'],
      params: BusinessParamsSchema,
      body: CreateApiKeySchema,
      example: { name: 'CRM sync' },
      summary: 'Create an API key for this business (owners only); the key is returned once',
      responses: { 201: CreatedApiKeySchema },
    },
    owner,
    async (req, res, { params, body }) => {
      const { key, prefix, hash } = generateApiKey();
      const created = await d.models.ApiKey.create({
        _id: `key_${randomToken(12)}`,
        businessId: params.businessId,
        name: body.name,
        prefix,
        hash,
        createdBy: req.auth?.kind === 'user' ? req.auth.userId : undefined,
      });
      await writeAudit(d.models, { ...auditActorOf(req), businessId: params.businessId, action: 'api_key.created', target: created._id });
      res.status(201).json({ ...toView(created), key });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/api-keys',
      tags: ['api-keys'],
      params: BusinessParamsSchema,
      summary: 'List API keys (prefixes only, never secrets)',
      responses: { 200: ApiKeyViewSchema.array() },
    },
    owner,
    async (_req, res, { params }) => {
      const keys = await d.models.ApiKey.find({ businessId: params.businessId }, { hash: 0 }).sort({ createdAt: -1 }).lean();
      res.json(keys.map(toView));
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: '/api/v1/businesses/:businessId/api-keys/:apiKeyId',
      tags: ['api-keys'],
      params: ApiKeyParamsSchema,
      summary: 'Revoke an API key; it stops working immediately',
      responses: { 204: 'Revoked.' },
    },
    owner,
    async (req, res, { params }) => {
      const result = await d.models.ApiKey.updateOne(
        { _id: params.apiKeyId, businessId: params.businessId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date() } },
      );
      if (result.matchedCount === 0 && !(await d.models.ApiKey.exists({ _id: params.apiKeyId, businessId: params.businessId })))
        throw notFound('API key');
      d.apiKeys.forget();
      await writeAudit(d.models, {
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'api_key.revoked',
        target: params.apiKeyId,
      });
      res.status(204).end();
    },
  );

  return router;
};
