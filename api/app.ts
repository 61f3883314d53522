/** createApp(deps): the whole HTTP API as an Express app, without listening (tests drive it with supertest). */
import express from 'express';
import helmet from 'helmet';
import type { Config } from '../config/schema.js';
import type { Db } from '../db/connection.js';
import type { Logger } from '../lib/logger.js';
import type { Dispatcher } from './conversations/dispatch.js';
import { ensureDigestWorkflow } from '../starters/notification-workflows.js';
import { errorHandler, notFoundHandler } from './errors.js';
import type { ChannelRouter } from './meta/channel-router.js';
import type { Metrics } from './metrics.js';
import { loggedEmailSenderFrom } from '../domain/emails/send-log.js';
import { requestContext } from './middleware/request-context.js';
import { createAuthDeps } from './auth/deps.js';
import { codecRouter } from './routes/codec.js';
import { metricsRouter } from './routes/metrics.js';
import { apiKeysRouter } from './routes/api-keys.js';
import { auditRouter } from './routes/audit.js';
import { billingRouter } from './billing/routes.js';
import { stripeWebhookRouter } from './billing/stripe-webhook.js';
import { authRouter } from './routes/auth.js';
import { businessesRouter } from './routes/businesses.js';
import { membersRouter } from './routes/members.js';
import { openApiRouter } from './routes/openapi.js';
import { privacyApiRouter, privacyPublicRouter } from './routes/privacy.js';
import { healthRouter, type ReadinessCheck } from './routes/health.js';
import { metaWebhookRouter } from './routes/meta-webhook.js';
import { conversationsRouter } from './routes/conversations.js';
import { leadsRouter } from './routes/leads.js';
import { leadWebhooksRouter } from './routes/lead-webhooks.js';
import { metaConnectRouter } from './routes/meta-connect.js';
import { publicPagesRouter } from './routes/public-pages.js';
import { siteRouter } from './routes/site.js';
import { faviconRouter } from './routes/favicon.js';
import { widgetPreviewRouter } from './routes/widget-preview.js';
import { widgetRouter } from './routes/widget.js';
import { inboxWatchRouter } from './routes/inbox-watch.js';
import { overviewRouter } from './routes/overview.js';
import { webAppRouter } from './routes/web-app.js';
import { webSessionRouter } from './routes/web-session.js';
import { createWidgetBusinessLookup } from './widget/business-lookup.js';
import { sessionIdsFromConfig } from './widget/session-id.js';
import { dataRequestLinkFrom } from './widget/data-request-link.js';
import { ensureBillingWorkflow } from '../starters/billing.js';
import { outreachApiRouter, outreachPublicRouter } from './outreach/routes.js';
import { temporalEmailOutbox } from '../starters/emails.js';

export type AppDeps = {
  config: Config;
  db: Db;
  log: Logger;
  dispatcher: Dispatcher;
  channelRouter: ChannelRouter;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
};

export const createApp = (deps: AppDeps) => {
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer every per-IP limit would otherwise see one address (docs/operations.md, TRUST_PROXY).
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
  app.use(
    requestContext(deps.log, (i) =>
      deps.metrics.httpDuration.observe({ method: i.method, route: i.route, status: String(i.status) }, i.seconds),
    ),
  );

  app.use(healthRouter(deps.readiness));
  app.use(metricsRouter({ metrics: deps.metrics, opsToken: deps.config.OPS_TOKEN }));
  // Routes that read their own body go before the app-wide JSON parser: webhooks verify signatures over the exact
  // bytes received, the codec takes larger bodies, the widget and the public forms smaller ones.
  app.use(codecRouter(deps));
  app.use(
    metaWebhookRouter({
      appId: deps.config.META_APP_ID,
      appSecret: deps.config.META_APP_SECRET,
      verifyToken: deps.config.META_VERIFY_TOKEN,
      router: deps.channelRouter,
      dispatcher: deps.dispatcher,
      log: deps.log,
      metrics: deps.metrics,
    }),
  );
  const widgetLookup = createWidgetBusinessLookup(deps.db.models, deps.config.PUBLIC_URL);
  app.use(
    widgetRouter({
      models: deps.db.models,
      dispatcher: deps.dispatcher,
      lookupBusiness: widgetLookup,
      sessionIds: sessionIdsFromConfig(deps.config),
      dataRequestLink: dataRequestLinkFrom(deps.config),
      newSessionsPerHour: {
        perIp: deps.config.WIDGET_NEW_SESSIONS_PER_IP_PER_HOUR,
        perBusiness: deps.config.WIDGET_NEW_SESSIONS_PER_BUSINESS_PER_HOUR,
      },
    }),
  );
  // Before the privacy router: its strict CSP covers /data-deletion's pages too.
  app.use(publicPagesRouter(deps.config));
  app.use(siteRouter({ serveDemo: deps.config.NODE_ENV !== 'production' }));
  app.use(faviconRouter());
  app.use(widgetPreviewRouter({ publicUrl: deps.config.PUBLIC_URL }));
  // The one sender of the API, through the send log (email_sends).
  const email = loggedEmailSenderFrom(deps.config, { models: deps.db.models, keyRing: deps.config.ENCRYPTION_KEY, log: deps.log });
  const privacy = { config: deps.config, models: deps.db.models, log: deps.log, temporal: deps.dispatcher.temporal };
  app.use(privacyPublicRouter({ ...privacy, email }));
  app.use(
    stripeWebhookRouter({
      config: deps.config,
      models: deps.db.models,
      log: deps.log,
      temporal: deps.dispatcher.temporal,
      metrics: deps.metrics,
    }),
  );
  const outreach = { config: deps.config, models: deps.db.models, log: deps.log, temporal: deps.dispatcher.temporal };
  app.use(outreachPublicRouter(outreach));
  app.use(express.json({ limit: '100kb' }));
  // One auth for every router that authenticates: one session cache, so a logout takes effect at once in this process.
  // Account emails are queued for the worker (sendEmailWorkflow): a request never waits on Resend.
  const outbox = email ? temporalEmailOutbox(deps.dispatcher.temporal) : undefined;
  const auth = createAuthDeps(deps.config, deps.db.models, deps.log, outbox);
  app.use(
    authRouter(
      auth,
      {},
      {
        // The trial's reminder and end need the BillingWorkflow from the first day; a failed start is logged, and the
        // first look at billing (or the first Stripe event) starts it later: sign-up never fails because of it.
        onBusinessCreated: async (businessId) => {
          if (!deps.config.STRIPE_SECRET_KEY) return;
          await ensureBillingWorkflow(deps.dispatcher.temporal, businessId).catch((err: unknown) =>
            deps.log.warn({ businessId, err: (err as Error).message }, 'billing workflow not started at sign-up'),
          );
        },
      },
    ),
  );
  app.use(
    businessesRouter({
      auth,
      onWidgetSettingsChanged: widgetLookup.forgetBusiness,
      onDigestEnabled: (businessId) => ensureDigestWorkflow(deps.dispatcher.temporal, businessId),
    }),
  );
  app.use(membersRouter(auth, {}, { isStripeConfigured: Boolean(deps.config.STRIPE_SECRET_KEY), publicUrl: deps.config.PUBLIC_URL }));
  app.use(apiKeysRouter(auth));
  app.use(auditRouter(auth));
  app.use(billingRouter({ config: deps.config, models: deps.db.models, log: deps.log, auth, temporal: deps.dispatcher.temporal }));
  app.use(openApiRouter({ publicUrl: deps.config.PUBLIC_URL }));

  const dashboard = { config: deps.config, models: deps.db.models, log: deps.log, auth };
  app.use(metaConnectRouter({ ...dashboard, channelRouter: deps.channelRouter, dispatcher: deps.dispatcher }));
  app.use(conversationsRouter({ ...dashboard, dispatcher: deps.dispatcher }));
  app.use(leadsRouter({ ...dashboard, temporal: deps.dispatcher.temporal }));
  app.use(leadWebhooksRouter({ ...dashboard, temporal: deps.dispatcher.temporal }));
  app.use(privacyApiRouter({ ...privacy, auth }));
  app.use(outreachApiRouter({ ...outreach, auth }));

  // The owner web app (issue 14): its login cookie, live inbox, overview numbers, and the built pages at /app.
  app.use(webSessionRouter(auth, { secureCookie: deps.config.PUBLIC_URL.startsWith('https://') }));
  app.use(inboxWatchRouter({ models: deps.db.models, auth }));
  app.use(overviewRouter({ models: deps.db.models, auth, retention: deps.config }));
  app.use(webAppRouter({ publicUrl: deps.config.PUBLIC_URL }));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
};
