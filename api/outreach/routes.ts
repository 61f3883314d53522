/** The outreach routers: the public ones (opt-out, tracking, Resend webhook) read their own bodies; the staff API. */
import { Router } from 'express';
import { outreachCampaignRoutes } from './campaigns.js';
import type { OutreachApiDeps, OutreachPublicDeps } from './deps.js';
import { outreachProspectRoutes } from './prospects.js';
import { outreachPublicRoutes } from './public.js';
import { resendWebhookRouter } from './resend-webhook.js';

export const outreachPublicRouter = (deps: OutreachPublicDeps) => {
  const router = Router();
  router.use(resendWebhookRouter(deps));
  outreachPublicRoutes(router, deps);
  return router;
};

export const outreachApiRouter = (deps: OutreachApiDeps) => {
  const router = Router();
  outreachProspectRoutes(router, deps);
  outreachCampaignRoutes(router, deps);
  return router;
};
