/**
 * Connecting Facebook Pages and Instagram accounts (owners only): the login dialog URL, Facebook's callback,
 * choosing Pages, listing and disconnecting channels. No response ever carries a token.
 */
import { Router, type Request } from 'express';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import { createMetaGraphClient } from '../../integrations/meta-graph.js';
import type { Logger } from '../../lib/logger.js';
import { authenticate, requireBusiness, userOf } from '../auth/middleware.js';
import type { AuthDeps } from '../auth/deps.js';
import type { Dispatcher } from '../conversations/dispatch.js';
import { AppError } from '../errors.js';
import type { ChannelRouter } from '../meta/channel-router.js';
import { completeOAuthCallback, toSummary } from '../meta-connect/callback.js';
import { publicChannel } from '../meta-connect/channels.js';
import { connectPages, loadPending } from '../meta-connect/connect-pages.js';
import type { MetaConnectDeps } from '../meta-connect/deps.js';
import { CALLBACK_PATH, loginDialogUrl } from '../meta-connect/dialog.js';
import { disconnectChannel } from '../meta-connect/disconnect.js';
import { BINDING_COOKIE, cookieValue, issueOAuthState, STATE_TTL_MS } from '../meta-connect/oauth-state.js';
import * as S from '../meta-connect/schemas.js';
import { tokenHealthStarter } from '../meta-connect/token-health-starter.js';
import { documentedRoute } from '../openapi/route.js';

export type MetaConnectRouterDeps = {
  config: Config;
  models: Models;
  log: Logger;
  auth: AuthDeps;
  channelRouter: ChannelRouter;
  dispatcher: Dispatcher;
};

const TAGS = ['Meta channels'];

const requireMetaApp = (config: Config) => {
  if (!config.META_APP_ID || !config.META_APP_SECRET) {
    throw new AppError(
      503,
      'integration-disabled',
      'Meta integration is not configured',
      'Set META_APP_ID and META_APP_SECRET, then restart.',
    );
  }
};

const actorOf = (req: Request) => ({ userId: userOf(req).userId, role: req.business?.role });

export const metaConnectRouter = (deps: MetaConnectRouterDeps) => {
  const router = Router();
  const { config, models } = deps;
  const { auth } = deps;
  const useCases: MetaConnectDeps = {
    config,
    models,
    log: deps.log,
    graph: createMetaGraphClient({
      baseUrl: config.META_GRAPH_URL,
      version: config.META_GRAPH_VERSION,
      appId: config.META_APP_ID,
      appSecret: config.META_APP_SECRET,
    }),
    invalidateRoutes: () => deps.channelRouter.invalidate(),
    ensureTokenHealth: tokenHealthStarter(deps.dispatcher.temporal),
  };
  const owner = [authenticate(auth), requireBusiness(auth, { minRole: 'owner' })];
  const member = [authenticate(auth), requireBusiness(auth)];

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/businesses/:businessId/meta/connect',
      tags: TAGS,
      summary: 'Start connecting Facebook/Instagram: returns the Facebook Login dialog URL',
      description: 'Open `url` in this browser within 10 minutes. A cookie set by this response ties the login to this browser.',
      params: S.BusinessParamsSchema,
      responses: { 200: S.ConnectUrlSchema },
    },
    owner,
    async (req, res, { params }) => {
      requireMetaApp(config);
      const { state, binding, claims } = issueOAuthState(config.ENCRYPTION_KEY, {
        businessId: params.businessId,
        userId: userOf(req).userId,
      });
      res.cookie(BINDING_COOKIE, binding, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.PUBLIC_URL.startsWith('https://'),
        path: CALLBACK_PATH,
        maxAge: STATE_TTL_MS,
      });
      res.json({ url: loginDialogUrl(config, state), expiresAt: new Date(claims.expiresAt).toISOString() });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: CALLBACK_PATH,
      tags: TAGS,
      auth: 'none',
      summary: 'Facebook Login callback: lists the Pages that can be connected',
      description:
        'Authenticated by the signed `state` and the browser cookie from /meta/connect. A browser is redirected to the web app (`/app/connect/facebook?pending=…`, or `?error=…`); JSON with `Accept: application/json`.',
      query: S.OAuthCallbackQuerySchema,
      responses: { 200: S.PendingConnectionSchema, 400: 'bad, expired or reused state; login cancelled' },
    },
    [],
    async (req, res, { query }) => {
      requireMetaApp(config);
      // A browser lands back in the web app, which lists the Pages to choose or says that the login failed.
      const isBrowser = req.accepts(['html', 'json']) !== 'json';
      try {
        if (query.error || !query.code) {
          throw new AppError(
            400,
            'meta-login-cancelled',
            'Facebook login was not completed',
            'Facebook did not grant access (login cancelled or permissions declined); start the connection again from the dashboard.',
            { reason: query.error_reason ?? query.error ?? 'no_code' },
          );
        }
        const summary = await completeOAuthCallback(useCases, {
          code: query.code,
          state: query.state,
          binding: cookieValue(req.get('cookie'), BINDING_COOKIE),
        });
        res.clearCookie(BINDING_COOKIE, { path: CALLBACK_PATH });
        res.setHeader('cache-control', 'no-store');
        if (isBrowser) res.redirect(303, `/app/connect/facebook?pending=${encodeURIComponent(summary.pendingId)}`);
        else res.json(summary);
      } catch (err) {
        if (!isBrowser || !(err instanceof AppError)) throw err;
        res.redirect(303, `/app/connect/facebook?error=${encodeURIComponent(err.slug)}`);
      }
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/meta/connections',
      tags: TAGS,
      summary: 'Pending Facebook connections of the calling owner (Pages to choose from)',
      params: S.BusinessParamsSchema,
      responses: { 200: S.PendingConnectionSchema.array() },
    },
    owner,
    async (req, res, { params }) => {
      const rows = await models.PendingMetaConnection.find({
        businessId: params.businessId,
        userId: userOf(req).userId,
        expiresAt: { $gt: new Date() },
      })
        .sort({ createdAt: -1 })
        .limit(10)
        .lean();
      res.json(rows.map(toSummary));
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/meta/connections/:pendingId',
      tags: TAGS,
      summary: 'One pending Facebook connection',
      params: S.PendingParamsSchema,
      responses: { 200: S.PendingConnectionSchema },
    },
    owner,
    async (req, res, { params }) => {
      res.json(toSummary(await loadPending(useCases, { ...params, userId: userOf(req).userId })));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/businesses/:businessId/meta/connections/:pendingId/pages',
      tags: TAGS,
      summary: 'Connect the chosen Pages (and their linked Instagram accounts)',
      params: S.PendingParamsSchema,
      body: S.ChoosePagesBodySchema,
      example: { pageIds: ['200000000000001'] },
      responses: {
        201: S.ChannelListSchema,
        402: 'The plan allows no more connected channels (`code: plan_limit`): upgrade at /app/billing or disconnect a channel. Reconnecting a channel already connected is always allowed; nothing is written or subscribed when refused.',
        409: 'a Page is connected to another business',
      },
    },
    owner,
    async (req, res, { params, body }) => {
      requireMetaApp(config);
      const data = await connectPages(useCases, { ...params, pageIds: body.pageIds, actor: actorOf(req) });
      res.status(201).json({ data });
    },
  );

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/channels',
      tags: TAGS,
      summary: 'Channels of this business (never their tokens)',
      params: S.BusinessParamsSchema,
      responses: { 200: S.ChannelListSchema },
    },
    member,
    async (_req, res, { params }) => {
      const rows = await models.Channel.find({ businessId: params.businessId }, { tokenSealed: 0, connectedByAsid: 0 })
        .sort({ createdAt: 1 })
        .lean();
      res.json({ data: rows.map(publicChannel) });
    },
  );

  documentedRoute(
    router,
    {
      method: 'delete',
      path: '/api/v1/businesses/:businessId/channels/:channelId',
      tags: TAGS,
      summary: 'Disconnect a channel: unsubscribes the Page, revokes an unused grant, deletes the token',
      params: S.ChannelParamsSchema,
      responses: { 200: S.DisconnectResultSchema },
    },
    owner,
    async (req, res, { params }) => {
      res.json(await disconnectChannel(useCases, { ...params, actor: actorOf(req) }));
    },
  );

  return router;
};
