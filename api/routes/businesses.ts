/**
 * Read and change a business's configuration, and rotate its publishable key.
 * Rule: members (and API keys) may change how the assistant behaves and looks; only owners may change the
 * fields in OWNER_ONLY_FIELDS, because they decide where customers' personal data goes and who may embed
 * the chat. Platform staff may read (audited) but not change.
 */
import { Router } from 'express';
import type { BusinessDoc } from '../../db/models/business.js';
import { writeAudit } from '../../domain/audit.js';
import { handoverPauseMinutesOf } from '../../domain/business-profile.js';
import { auditActorOf } from '../auth/actor.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness, type BusinessAccess } from '../auth/middleware.js';
import { newPublishableKey } from '../auth/signup.js';
import { forbidden, notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import {
  BusinessPatchSchema,
  BusinessViewSchema,
  OWNER_ONLY_FIELDS,
  PublishableKeySchema,
  type BusinessPatch,
  type BusinessView,
} from '../schemas/business.js';
import { BusinessParamsSchema } from '../schemas/common.js';

export type BusinessRouteDeps = {
  auth: AuthDeps;
  /** Drops cached widget lookups for the business so a new key, origin list or look applies at once. */
  onWidgetSettingsChanged?: (businessId: string) => void;
  /** Called when a business switches to the daily digest, so its digest workflow is running. */
  onDigestEnabled?: (businessId: string) => Promise<void>;
};

const toView = (b: BusinessDoc & { _id: string }, access: BusinessAccess): BusinessView => ({
  id: b._id,
  name: b.name,
  niche: b.niche,
  country: b.country,
  timezone: b.timezone,
  language: b.language,
  workingHours: b.workingHours.map((h) => ({ day: h.day, open: h.open ?? '', close: h.close ?? '' })),
  pricing: b.pricing ?? null,
  bookingLinks: b.bookingLinks.map((l) => ({ label: l.label ?? '', url: l.url ?? '' })),
  calendlyUrl: b.calendlyUrl ?? null,
  customInstructions: b.customInstructions ?? null,
  aiMode: b.aiMode,
  handoverPauseMinutes: handoverPauseMinutesOf(b),
  publishableKey: b.publishableKey,
  allowedOrigins: b.allowedOrigins,
  widgetColor: b.widgetColor,
  widgetGreeting: b.widgetGreeting,
  privacyUrl: b.privacyUrl ?? null,
  notifyWhatsapp: b.notifyWhatsapp.map((t) => ({ number: t.number, status: t.status })),
  notifyEmails: b.notifyEmails,
  emailMode: b.emailMode,
  status: b.status,
  access: { role: access.role, via: access.via },
});

/** The Mongo update for a validated patch: null clears an optional field; WhatsApp targets keep their health status. */
const updateFor = (patch: BusinessPatch, current: BusinessDoc) => {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) $unset[field] = 1;
    else if (field === 'notifyWhatsapp') {
      const known = new Map(current.notifyWhatsapp.map((t) => [t.number, t]));
      $set[field] = (value as string[]).map((number) => known.get(number) ?? { number, status: 'ok' });
    } else $set[field] = value;
  }
  return { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
};

export const businessesRouter = (deps: BusinessRouteDeps) => {
  const router = Router();
  const d = deps.auth;
  const load = async (businessId: string) => {
    const b = await d.models.Business.findById(businessId).lean();
    if (!b) throw notFound('business');
    return b;
  };

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId',
      tags: ['businesses'],
      params: BusinessParamsSchema,
      summary: 'Read a business and its configuration',
      responses: { 200: BusinessViewSchema },
    },
    [authenticate(d), requireBusiness(d, { allowPlatform: true })],
    async (req, res, { params }) => {
      res.json(toView(await load(params.businessId), req.business!));
    },
  );

  documentedRoute(
    router,
    {
      method: 'patch',
      path: '/api/v1/businesses/:businessId',
      tags: ['businesses'],
      params: BusinessParamsSchema,
      body: BusinessPatchSchema,
      example: { pricing: 'Check-up £55', workingHours: [{ day: 1, open: '09:00', close: '17:30' }], aiMode: 'draft' },
      summary: 'Change business configuration (only the fields sent)',
      description: `Members may change everything except ${OWNER_ONLY_FIELDS.join(', ')}, which need an owner. Send null to clear pricing, calendlyUrl, customInstructions or privacyUrl.`,
      responses: { 200: BusinessViewSchema, 403: 'A member tried to change an owner-only field.' },
    },
    [authenticate(d), requireBusiness(d)],
    async (req, res, { params, body }) => {
      const access = req.business!;
      const ownerFields = OWNER_ONLY_FIELDS.filter((f) => f in body);
      if (access.role !== 'owner' && ownerFields.length) throw forbidden(`Only an owner can change: ${ownerFields.join(', ')}.`);
      const current = await load(params.businessId);
      await d.models.Business.updateOne({ _id: params.businessId }, updateFor(body, current));
      await writeAudit(d.models, {
        ...auditActorOf(req),
        businessId: params.businessId,
        action: 'business.updated',
        details: { fields: Object.keys(body).join(',') },
      });
      deps.onWidgetSettingsChanged?.(params.businessId);
      if (body.emailMode === 'digest' && current.emailMode !== 'digest') await deps.onDigestEnabled?.(params.businessId);
      res.json(toView(await load(params.businessId), access));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/businesses/:businessId/publishable-key/rotate',
      tags: ['businesses'],
      params: BusinessParamsSchema,
      summary: 'Issue a new publishable (widget) key; the old key stops working',
      description: 'Update the embed snippet on your site right away. Other API replicas may accept the old key for up to 30 seconds.',
      responses: { 200: PublishableKeySchema },
    },
    [authenticate(d), requireBusiness(d, { minRole: 'owner' })],
    async (req, res, { params }) => {
      const publishableKey = newPublishableKey();
      await d.models.Business.updateOne({ _id: params.businessId }, { $set: { publishableKey } });
      await writeAudit(d.models, { ...auditActorOf(req), businessId: params.businessId, action: 'business.publishable_key_rotated' });
      deps.onWidgetSettingsChanged?.(params.businessId);
      res.json({ publishableKey });
    },
  );

  return router;
};
