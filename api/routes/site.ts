/** Public pages and assets: the widget script, the demo business site and the privacy notice. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { buildWidget } from '../../widget/build.js';
import { DEMO } from '../../domain/demo-seed.js';
import { privacyNoticeHtml } from '../pages/privacy.js';

const demoPath = fileURLToPath(new URL('../../widget/demo.html', import.meta.url));

export const siteRouter = (opts: { serveDemo: boolean }) => {
  const router = Router();
  // Built once per process, in memory: the same bytes for every embedding site.
  let widget: { code: string } | undefined;

  router.get('/widget.js', (_req, res) => {
    widget ??= buildWidget({ minify: true });
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').send(widget.code);
  });

  if (opts.serveDemo) {
    router.get('/demo', (_req, res) => {
      res.type('html').send(readFileSync(demoPath, 'utf8').replaceAll('{{WIDGET_KEY}}', DEMO.publishableKey));
    });
  }

  router.get('/privacy', (_req, res) => {
    res.type('html').send(privacyNoticeHtml());
  });
  return router;
};
