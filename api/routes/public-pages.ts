/**
 * The public legal pages: /privacy (the company's policy, filled from config and code constants), /terms, and
 * their stylesheet; and the strict Content-Security-Policy of every public page, /data-deletion's included.
 * Mount it before the privacy router so its header covers the deletion pages too.
 */
import { Router } from 'express';
import { companyIdentityOf } from '../../config/company.js';
import type { Config } from '../../config/schema.js';
import { documentedPage } from '../openapi/route.js';
import { PUBLIC_STYLESHEET, publicPagesCsp, renderPublicPage, setCompany } from '../pages/layout.js';
import { policyFactsOf, renderPrivacyPolicy } from '../pages/privacy-policy.js';
import { termsPageHtml } from '../pages/terms.js';

export type PublicPagesConfig = Pick<
  Config,
  'COMPANY_NAME' | 'COMPANY_ADDRESS' | 'PRIVACY_CONTACT_EMAIL' | 'PUBLIC_URL' | 'CONVERSATION_RETENTION_DAYS' | 'ACCOUNT_CLOSURE_GRACE_DAYS'
>;

export const PUBLIC_PAGE_PATHS = ['/privacy', '/terms', '/data-deletion', '/data-requests'];

export const publicPagesRouter = (config: PublicPagesConfig) => {
  const router = Router();
  const company = companyIdentityOf(config);
  const csp = publicPagesCsp(config.PUBLIC_URL.startsWith('https://'));
  // Rendered once: the facts come from config and constants, which do not change while the process runs.
  const privacy = renderPublicPage({ title: 'Privacy policy', company, body: renderPrivacyPolicy(policyFactsOf(config)) });
  const terms = termsPageHtml(company);

  // Express matches /data-deletion/<code> too; helmet's default policy is replaced, not extended. The deletion
  // routes read the company for their footer with companyOf(res).
  router.use(PUBLIC_PAGE_PATHS, (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    setCompany(res, company);
    next();
  });

  const tags = ['Pages'];
  documentedPage(router, { path: '/privacy', tags, summary: 'The privacy policy (HTML)' }, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(privacy);
  });
  documentedPage(router, { path: '/terms', tags, summary: 'Terms of service (HTML)' }, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(terms);
  });
  documentedPage(
    router,
    {
      path: PUBLIC_STYLESHEET.path,
      tags,
      summary: 'The stylesheet of the public pages (its name changes with its content)',
      produces: 'text/css',
    },
    (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.type('text/css').send(PUBLIC_STYLESHEET.body);
    },
  );
  return router;
};
