/**
 * Staff: campaigns (a sequence of steps with merge-field templates, sender, rate cap, tracking off by default), a
 * preview of any step, enrolling prospects (one OutreachWorkflow each), pause and resume (signalled to every
 * running workflow of the campaign), and stats per step.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Router } from 'express';
import { companyIdentityOf } from '../../config/company.js';
import { withEmailFooter } from '../../config/company.js';
import { writeAudit } from '../../domain/audit.js';
import { composeOutreachEmail } from '../../domain/outreach/compose.js';
import { outreachSendId, outreachWorkflowId } from '../../domain/outreach/ids.js';
import { campaignStats } from '../../domain/outreach/stats.js';
import { enrollProspects, signalOutreachPause, signalOutreachResume } from '../../starters/outreach.js';
import { authenticate, requirePlatformRole, userOf } from '../auth/middleware.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { OUTREACH_ROLES, type OutreachApiDeps } from './deps.js';
import * as S from './schemas.js';
import { campaignView } from './views.js';

const TAGS = ['Outreach'];
const BASE = '/api/v1/outreach/campaigns';
const STAFF_ONLY = 'platform-wide staff route';
const SAMPLE_PROSPECT = { email: 'contact@example.com', company: 'Example Dental', contactName: 'Alex', website: 'https://example.com' };
const EXAMPLE = {
  name: 'Dental clinics, spring',
  senderName: 'Sam from LuxLeads',
  steps: [
    { subject: 'Missed calls at {{company}}?', body: 'Hi {{contactName | there}},\n\nLuxLeads answers your website chat…', delayDays: 0 },
    { subject: 'Re: missed calls', body: 'Hi {{contactName | there}}, a quick follow-up…', delayDays: 3 },
  ],
};

export const outreachCampaignRoutes = (router: Router, deps: OutreachApiDeps) => {
  const { models, config } = deps;
  const staff = [authenticate(deps.auth), requirePlatformRole(deps.auth, [...OUTREACH_ROLES])];
  const company = companyIdentityOf(config);
  const starter = { ...deps.temporal, models, keyRing: config.ENCRYPTION_KEY };

  const audit = (req: Request, action: string, campaignId: string, details: Record<string, string | number | boolean | null> = {}) => {
    const user = userOf(req);
    return writeAudit(models, {
      actorType: 'platform',
      actorId: user.userId,
      actorRole: user.platformRole,
      action,
      details: { campaignId, ...details },
    });
  };
  const load = async (campaignId: string) => {
    const row = await models.OutreachCampaign.findById(campaignId).lean();
    if (!row) throw notFound('campaign');
    return row;
  };
  const activeWorkflows = async (campaignId: string) =>
    (await models.OutreachEnrollment.find({ campaignId, status: 'active' }, { _id: 1 }).lean()).map((e) => e._id);

  documentedRoute(
    router,
    {
      method: 'post',
      path: BASE,
      tags: TAGS,
      summary: 'Create a campaign (staff): steps with delays, merge-field templates, sender, rate cap',
      body: S.CampaignBodySchema,
      example: EXAMPLE,
      responses: { 201: S.CampaignViewSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res, { body }) => {
      const row = await models.OutreachCampaign.create({
        _id: `cmp_${randomBytes(9).toString('base64url')}`,
        ...body,
        status: 'draft',
        createdBy: userOf(req).userId,
      });
      await audit(req, 'outreach.campaign_created', row._id);
      res.status(201).json(campaignView(row.toObject()));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: BASE,
      tags: TAGS,
      summary: 'Campaigns, newest first (staff)',
      responses: { 200: S.CampaignListSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (_req, res) => {
      const rows = await models.OutreachCampaign.find({}).sort({ createdAt: -1 }).limit(200).lean();
      res.json({ data: rows.map(campaignView) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/:campaignId`,
      tags: TAGS,
      summary: 'One campaign (staff)',
      params: S.CampaignParamsSchema,
      responses: { 200: S.CampaignViewSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (_req, res, { params }) => {
      res.json(campaignView(await load(params.campaignId)));
    },
  );

  documentedRoute(
    router,
    {
      method: 'patch',
      path: `${BASE}/:campaignId`,
      tags: TAGS,
      summary: 'Edit a campaign (staff): template edits apply to the steps not yet sent; delays are fixed at enrollment',
      params: S.CampaignParamsSchema,
      body: S.CampaignPatchSchema,
      example: { isTrackingEnabled: true },
      responses: { 200: S.CampaignViewSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res, { params, body }) => {
      await load(params.campaignId);
      const row = await models.OutreachCampaign.findByIdAndUpdate(params.campaignId, { $set: body }, { new: true }).lean();
      await audit(req, 'outreach.campaign_edited', params.campaignId, { fields: Object.keys(body).join(',') });
      res.json(campaignView(row!));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:campaignId/preview`,
      tags: TAGS,
      summary: 'Preview a step as a prospect would get it (staff): merge fields, identity, opt-out link and headers',
      params: S.CampaignParamsSchema,
      body: S.PreviewBodySchema,
      example: { step: 0 },
      responses: { 200: S.PreviewSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (_req, res, { params, body }) => {
      const campaign = await load(params.campaignId);
      const step = campaign.steps[body.step];
      if (!step) throw badRequest(`body.step: this campaign has ${campaign.steps.length} steps (0-based).`);
      const prospect = body.prospectId ? await models.OutreachProspect.findById(body.prospectId).lean() : SAMPLE_PROSPECT;
      if (!prospect) throw notFound('prospect');
      const prospectId = body.prospectId ?? 'prs_preview';
      const email = composeOutreachEmail({
        sendId: outreachSendId(outreachWorkflowId(campaign._id, prospectId), body.step),
        prospect,
        campaign: { senderName: campaign.senderName, isTrackingEnabled: campaign.isTrackingEnabled ?? false },
        step,
        company,
        publicUrl: config.PUBLIC_URL,
        ring: config.ENCRYPTION_KEY,
      });
      const withFooter = withEmailFooter(email, company);
      res.json({ subject: email.subject, text: withFooter.text, html: withFooter.html, headers: email.headers });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: `${BASE}/:campaignId/enroll`,
      tags: TAGS,
      summary: 'Enroll prospects (staff): starts the campaign if it is a draft, one workflow per prospect; suppressed ones are skipped',
      params: S.CampaignParamsSchema,
      body: S.EnrollBodySchema,
      example: { allProspects: true },
      responses: { 200: S.EnrollResultSchema, 409: 'Stopped campaign, or COMPANY_ADDRESS / RESEND_API_KEY not set' },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (req, res, { params, body }) => {
      const campaign = await load(params.campaignId);
      if (campaign.status === 'stopped') throw conflict('This campaign is stopped.');
      if (!config.COMPANY_ADDRESS || !config.RESEND_API_KEY)
        throw conflict('Outreach needs COMPANY_ADDRESS (every email names the postal address) and RESEND_API_KEY.');
      if (campaign.status === 'draft')
        await models.OutreachCampaign.updateOne({ _id: campaign._id, status: 'draft' }, { $set: { status: 'running' } });
      const prospectIds = body.allProspects
        ? (await models.OutreachProspect.find({}, { _id: 1 }).lean()).map((p) => p._id)
        : (body.prospectIds ?? []);
      const result = await enrollProspects(starter, campaign, prospectIds);
      await audit(req, 'outreach.prospects_enrolled', campaign._id, { ...result });
      res.json(result);
    },
  );

  for (const [action, from, to] of [
    ['pause', 'running', 'paused'],
    ['resume', 'paused', 'running'],
  ] as const) {
    documentedRoute(
      router,
      {
        method: 'post',
        path: `${BASE}/:campaignId/${action}`,
        tags: TAGS,
        summary: `${action === 'pause' ? 'Pause' : 'Resume'} a campaign (staff): every running sequence of it is told at once`,
        params: S.CampaignParamsSchema,
        responses: { 200: S.SignalledSchema, 409: `Campaign not ${from}` },
        skipTenantWalk: STAFF_ONLY,
      },
      staff,
      async (req, res, { params }) => {
        const moved = await models.OutreachCampaign.updateOne({ _id: params.campaignId, status: from }, { $set: { status: to } });
        if (moved.modifiedCount === 0) {
          const row = await load(params.campaignId);
          if (row.status !== to) throw conflict(`The campaign is ${row.status}, not ${from}.`);
        }
        const ids = await activeWorkflows(params.campaignId);
        const signalled =
          action === 'pause' ? await signalOutreachPause(deps.temporal, ids) : await signalOutreachResume(deps.temporal, ids);
        await audit(req, `outreach.campaign_${action}d`, params.campaignId, { signalled });
        res.json({ status: to, signalled });
      },
    );
  }

  documentedRoute(
    router,
    {
      method: 'get',
      path: `${BASE}/:campaignId/stats`,
      tags: TAGS,
      summary: 'Per step: sent, delivered, opened, clicked, replied, opted out, bounced (staff)',
      params: S.CampaignParamsSchema,
      responses: { 200: S.CampaignStatsSchema },
      skipTenantWalk: STAFF_ONLY,
    },
    staff,
    async (_req, res, { params }) => {
      const campaign = await load(params.campaignId);
      res.json(await campaignStats(models, campaign._id, campaign.steps.length));
    },
  );
};
