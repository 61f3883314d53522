/**
 * The public legal pages: /privacy (the company's policy, filled from config and code constants), /terms, and
 * their stylesheet; and the strict Content-Security-Policy of every public page, /data-deletion's included.
 * Mount it before the privacy router so its header covers the deletion pages too.
 */
import { Router } from 'express';
import { companyIdentityOf } from '../../config/company.js';
import type { Config } from '../../config/schema.js';
import { registerRoute } from '../openapi/registry.js';
import { PUBLIC_STYLESHEET, publicPagesCsp, renderPublicPage, setCompany } from '../pages/layout.js';
import { policyFactsOf, renderPrivacyPolicy } from '../pages/privacy-policy.js';
import { termsPageHtml } from '../pages/terms.js';

export type PublicPagesConfig = Pick<
  Config,
  'COMPANY_NAME' | 'COMPANY_ADDRESS' | 'PRIVACY_CONTACT_EMAIL' | 'PUBLIC_URL' | 'CONVERSATION_RETENTION_DAYS'
>;

export const PUBLIC_PAGE_PATHS = ['/privacy', '/terms', '/data-deletion'];

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
  registerRoute({
    method: 'get',
    path: '/privacy',
    tags,
    auth: 'none',
    summary: 'The privacy policy (HTML)',
    responses: { 200: 'The page' },
  });
  router.get('/privacy', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(privacy);
  });
  registerRoute({ method: 'get', path: '/terms', tags, auth: 'none', summary: 'Terms of service (HTML)', responses: { 200: 'The page' } });
  router.get('/terms', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(terms);
  });
  router.get(PUBLIC_STYLESHEET.path, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type('text/css').send(PUBLIC_STYLESHEET.body);
  });
  return router;
};
