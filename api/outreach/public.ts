/**
 * The public side of outreach: the opt-out link of every email (GET: a page with one button, since mail scanners
 * open links; POST: RFC 8058 one-click, no login or cookie, idempotent, the suppression written before the answer)
 * and, only for campaigns with tracking on, the open pixel and the click redirect. Links are signed per send.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { companyIdentityOf } from '../../config/company.js';
import { markTracked, optOutBySend } from '../../domain/outreach/events.js';
import { openLink } from '../../domain/outreach/link-tokens.js';
import { signalOutreachStop } from '../../starters/outreach.js';
import { documentedPage, documentedRoute } from '../openapi/route.js';
import { escapeHtml, publicPagesCsp, renderPublicPage } from '../pages/layout.js';
import type { OutreachPublicDeps } from './deps.js';

const TAGS = ['Outreach'];
const TokenQuerySchema = z.object({ t: z.string().max(4000).optional().catch(undefined) });
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export const outreachPublicRoutes = (router: Router, deps: OutreachPublicDeps) => {
  const { models, config } = deps;
  const ring = config.ENCRYPTION_KEY;
  const company = companyIdentityOf(config);
  const csp = publicPagesCsp(config.PUBLIC_URL.startsWith('https://'));
  const page = (res: Response, status: number, title: string, body: string) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(status)
      .type('html')
      .send(renderPublicPage({ title, body, company, isPrivate: true }));
  };
  const badLink = (res: Response) =>
    page(
      res,
      400,
      'Link not valid',
      `<h1>This link is not valid</h1><p>Use the opt-out link of the email, unchanged, or write to <a href="mailto:${escapeHtml(company.privacyEmail)}">${escapeHtml(company.privacyEmail)}</a>.</p>`,
    );

  documentedPage(
    router,
    {
      path: '/outreach/opt-out',
      tags: TAGS,
      summary: 'Opt-out link of an outreach email: a page with the button that confirms',
      query: TokenQuerySchema,
    },
    (_req, res, { query }) => {
      if (!query.t || !openLink(ring, 'opt-out', query.t)) return badLink(res);
      page(
        res,
        200,
        'Stop these emails',
        `<h1>Stop emails from ${escapeHtml(company.name)}</h1><p>Press the button and we will not write to this address again, in this or any other campaign.</p>
<form method="post" action="/outreach/opt-out?t=${escapeHtml(encodeURIComponent(query.t))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      );
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/outreach/opt-out',
      tags: TAGS,
      auth: 'none',
      summary: 'Opt out (RFC 8058 one-click, or the page’s button): no login, idempotent, effective before the answer',
      query: z.object({ t: z.string().max(4000) }),
      body: z.object({ 'List-Unsubscribe': z.string().max(50).optional() }).loose(),
      example: { 'List-Unsubscribe': 'One-Click' },
      responses: { 200: 'A confirmation page', 400: 'Not a valid opt-out link' },
      skipTenantWalk: 'public link signed per send',
    },
    [express.urlencoded({ extended: false, limit: '4kb' })],
    async (_req: Request, res: Response, { query }) => {
      const link = openLink(ring, 'opt-out', query.t);
      if (!link) return badLink(res);
      // Suppression and stopped enrollments are written before the answer; the workflows are told after.
      const workflowIds = await optOutBySend(models, ring, link.sendId);
      await signalOutreachStop(deps.temporal, workflowIds, 'opted-out').catch((err: unknown) =>
        deps.log.warn(
          { err: (err as Error).message },
          'opt-out recorded; telling the running sequences failed (the send check stops them)',
        ),
      );
      page(res, 200, 'Unsubscribed', `<h1>You are unsubscribed</h1><p>${escapeHtml(company.name)} will not email this address again.</p>`);
    },
    { onInvalid: (_req, res) => badLink(res) },
  );

  documentedPage(
    router,
    {
      path: '/outreach/t/open',
      tags: TAGS,
      summary: 'Open pixel of outreach emails (only campaigns with tracking on)',
      produces: 'image/gif',
      query: TokenQuerySchema,
    },
    async (_req, res, { query }) => {
      const link = query.t ? openLink(ring, 'open', query.t) : undefined;
      if (link) await markTracked(models, link.sendId, 'opened');
      res.setHeader('Cache-Control', 'no-store');
      res.type('image/gif').send(PIXEL);
    },
  );

  documentedPage(
    router,
    {
      path: '/outreach/t/click',
      tags: TAGS,
      summary: 'Click redirect of outreach emails (only campaigns with tracking on; signed, never an open redirect)',
      query: TokenQuerySchema,
      responses: { 302: 'To the link of the email', 400: 'Not a valid link' },
    },
    async (_req, res, { query }) => {
      const link = query.t ? openLink(ring, 'click', query.t) : undefined;
      if (!link?.url || !/^https?:\/\//i.test(link.url)) return badLink(res);
      await markTracked(models, link.sendId, 'clicked');
      res.redirect(302, link.url);
    },
  );
};
