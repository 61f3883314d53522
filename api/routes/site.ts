/** The widget script and the demo business site (the legal pages are in public-pages.ts). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { buildWidget } from '../../widget/build.js';
import { DEMO } from '../../domain/demo-seed.js';
import { documentedPage } from '../openapi/route.js';

const TAGS = ['Pages'];
const demoPath = fileURLToPath(new URL('../../widget/demo.html', import.meta.url));

export const siteRouter = (opts: { serveDemo: boolean }) => {
  const router = Router();
  // Built once per process, in memory: the same bytes for every embedding site.
  let widget: { code: string } | undefined;

  documentedPage(
    router,
    {
      path: '/widget.js',
      tags: TAGS,
      summary: 'The chat widget script a business embeds with its publishable key (<script src="…/widget.js" data-key="pk_…">)',
      produces: 'application/javascript',
    },
    (_req, res) => {
      widget ??= buildWidget({ minify: true });
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type('application/javascript').send(widget.code);
    },
  );

  if (opts.serveDemo) {
    documentedPage(
      router,
      { path: '/demo', tags: TAGS, summary: 'A demo business site with the widget (not served in production)' },
      (_req, res) => {
        res.type('html').send(readFileSync(demoPath, 'utf8').replaceAll('{{WIDGET_KEY}}', DEMO.publishableKey));
      },
    );
  }
  return router;
};
