/**
 * /widget-preview?key=pk_…: a blank page that runs a business's own widget, framed by the web app's Website chat
 * settings as a live preview. Nothing is bypassed: the widget talks to the widget API from this server's origin,
 * which answers only if the business lists that origin among its allowed websites (the app offers to add it).
 * Under its own strict policy: scripts and connections to this origin only, the two inline stylesheets (the page's
 * and the widget's) allowed by their hashes, and only pages of this origin may frame it.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { CSS as WIDGET_CSS } from '../../widget/src/styles.js';
import { escapeHtml } from '../pages/layout.js';
import { documentedPage } from '../openapi/route.js';
import { PublishableKeySchema } from '../widget/schemas.js';

const PAGE_CSS = 'body{margin:1.5rem;font:16px/1.5 system-ui,sans-serif;color:#4b5563}h1{font-size:1.1rem;color:#111827}';
const hashOf = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
/** The widget puts its CSS in a <style> inside its shadow root: it and the page's own style are allowed by hash, never 'unsafe-inline'. */
const styleHashes = `${hashOf(PAGE_CSS)} ${hashOf(WIDGET_CSS)}`;

export const widgetPreviewCsp = (isHttps: boolean) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styleHashes}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

const PreviewQuerySchema = z.object({ key: PublishableKeySchema.describe("The business's publishable key") });

const page = (key: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>Website chat preview — LuxLeads</title>
<style>${PAGE_CSS}</style></head>
<body><main><h1>Website chat preview</h1><p>Open the chat button in the corner.</p></main>
<script src="/widget.js" data-key="${escapeHtml(key)}" async></script>
</body></html>`;

export const widgetPreviewRouter = (opts: { publicUrl: string }) => {
  const router = Router();
  const csp = widgetPreviewCsp(opts.publicUrl.startsWith('https://'));
  documentedPage(
    router,
    {
      path: '/widget-preview',
      tags: ['Pages'],
      summary: 'A page running the widget of the business with this key, framed by the web app as a live preview',
      query: PreviewQuerySchema,
    },
    (_req, res, { query }) => {
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(page(query.key));
    },
  );
  return router;
};
