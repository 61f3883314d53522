/**
 * The frame of every public page (/privacy, /terms, /data-deletion and its status pages): landmarks, one h1 per
 * page, a skip link, the company's identity in the footer, and one stylesheet served under a hashed name, so the
 * pages run under a Content-Security-Policy with no inline script or style at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Response } from 'express';
import type { CompanyIdentity } from '../../config/company.js';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const css = readFileSync(new URL('./public.css', import.meta.url), 'utf8');

/** The stylesheet, named by its content: cached for a year, a new name whenever it changes. */
export const PUBLIC_STYLESHEET = {
  path: `/assets/public-${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`,
  body: css,
} as const;

/** Same-origin stylesheet and form posts only: no script, no inline style, no framing, no plugins. */
export const publicPagesCsp = (isHttps: boolean) =>
  [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

export type PublicPage = {
  title: string;
  /** The page's content; it starts with its h1. */
  body: string;
  /** Who runs the service, for the footer; see companyOf. */
  company: CompanyIdentity;
  /** Status and confirmation pages are per person: kept out of search engines. */
  isPrivate?: boolean;
};

const footer = (c: CompanyIdentity) => `<footer class="site-footer">
<p>LuxLeads AI is operated by ${escapeHtml(c.name)}${c.address ? `, ${escapeHtml(c.address)}` : ''}.</p>
<p>Privacy questions: <a href="mailto:${escapeHtml(c.privacyEmail)}">${escapeHtml(c.privacyEmail)}</a></p>
<nav aria-label="Legal"><ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of service</a></li><li><a href="/data-deletion">Data deletion</a></li></ul></nav>
</footer>`;

export const renderPublicPage = (p: PublicPage) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${p.isPrivate ? '<meta name="robots" content="noindex">\n' : ''}<title>${escapeHtml(p.title)} — LuxLeads AI</title>
<link rel="stylesheet" href="${PUBLIC_STYLESHEET.path}"></head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="site-header"><span class="brand">LuxLeads AI</span></header>
<main id="main">
${p.body}
</main>
${footer(p.company)}
</body></html>`;

/**
 * The company of the public page being answered: publicPagesRouter puts it in res.locals (Express's place for what
 * a request's views render) for every path under PUBLIC_PAGE_PATHS, so the deletion routes need not carry config.
 */
export const companyOf = (res: Response): CompanyIdentity => {
  const company = (res.locals as { company?: CompanyIdentity }).company;
  if (!company) throw new Error(`no company for ${res.req.path}: mount publicPagesRouter before the routes of PUBLIC_PAGE_PATHS`);
  return company;
};

export const setCompany = (res: Response, company: CompanyIdentity) => {
  (res.locals as { company?: CompanyIdentity }).company = company;
};
