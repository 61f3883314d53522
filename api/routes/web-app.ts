/**
 * Serves the owner web app built into web/dist (web/build.ts) at /app: hashed files under /app/assets cached
 * for a year, index.html never cached, every other /app/* path answered with index.html (the app routes in the
 * browser), all under a strict Content-Security-Policy. The API reads the built files; it never imports web/.
 * The links in account emails (/verify-email, /reset-password, /accept-invite) land on the app's pages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { AppError } from '../errors.js';
import { documentedPage } from '../openapi/route.js';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Same-origin only; no inline script or style, no plugins, not framed by others (it frames only its own preview page). */
export const appContentSecurityPolicy = (isHttps: boolean) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    // The Website chat settings frame /widget-preview (its own page and policy) for the live preview.
    "frame-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

const tags = ['Web app'];

const EMAIL_LINKS: Record<string, string> = {
  '/verify-email': '/app/verify-email',
  '/reset-password': '/app/reset-password',
  '/accept-invite': '/app/accept-invite',
};

export const webAppRouter = (opts: { publicUrl: string; distDir?: string }) => {
  const router = Router();
  const dist = opts.distDir ?? WEB_DIST_DIR;
  const csp = appContentSecurityPolicy(opts.publicUrl.startsWith('https://'));

  for (const [from, to] of Object.entries(EMAIL_LINKS)) {
    documentedPage(
      router,
      {
        path: from,
        tags,
        summary: `Link of an account email: redirects to ${to} with the same query`,
        responses: { 302: `Redirect to ${to}` },
      },
      (req, res) => {
        const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
        res.redirect(302, `${to}${query}`);
      },
    );
  }

  router.use('/app/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }));
  // A file of an older build: never the SPA page, which the browser would try to run as a script.
  router.use('/app/assets', (_req, _res, next) =>
    next(new AppError(404, 'not-found', 'Not found', 'No such file in this version of the app; reload the page.')),
  );

  const sendIndex = (res: Response) => {
    const file = join(dist, 'index.html');
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Cache-Control', 'no-cache');
    if (!existsSync(file)) {
      res
        .status(503)
        .type('text/plain')
        .send('The web app is not built yet. `npm start` builds it; or run `npx tsx web/build.ts`, then reload.');
      return;
    }
    res.type('html').send(readFileSync(file, 'utf8'));
  };
  documentedPage(router, { path: '/app', tags, summary: 'The owner web app (HTML; its pages route in the browser)' }, (_req, res) =>
    sendIndex(res),
  );
  documentedPage(
    router,
    { path: '/app/{*path}', tags, summary: 'Any page of the owner web app, e.g. /app/leads/{leadId} (the same HTML)' },
    (_req, res) => sendIndex(res),
  );
  return router;
};
