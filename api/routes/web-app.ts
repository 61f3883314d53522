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

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Same-origin only; no inline script or style, no plugins, no framing. */
export const appContentSecurityPolicy = (isHttps: boolean) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

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
    router.get(from, (req, res) => {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      res.redirect(302, `${to}${query}`);
    });
  }

  router.use(
    '/app/assets',
    express.static(join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false, redirect: false }),
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
  router.get('/app', (_req, res) => sendIndex(res));
  router.get('/app/{*path}', (_req, res) => sendIndex(res));
  return router;
};
