/**
 * The public legal pages without the rest of the stack: /privacy filled from config and the code's own constants,
 * /terms, the stylesheet and the Content-Security-Policy. The browser journey (axe, the deletion pages) is in
 * test/e2e/public-pages.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { outreachCampaignSchema } from '../../db/models/outreach.js';
import { META_PERMISSIONS } from '../../api/meta-connect/permissions.js';
import { ESSENTIAL_COOKIES } from '../../api/pages/cookies.js';
import { PUBLIC_STYLESHEET } from '../../api/pages/layout.js';
import { policyFactsOf, renderPrivacyPolicy } from '../../api/pages/privacy-policy.js';
import { publicPagesRouter } from '../../api/routes/public-pages.js';
import { companyIdentityOf, emailFooter, withEmailFooter } from '../../config/company.js';
import { loadConfig } from '../../config/load.js';
import { ROOT } from '../../scripts/tools/paths.js';
import { DUE_AFTER_MS } from '../../workflows/privacy-request-tracker.js';

const configWith = (env: Record<string, string> = {}) =>
  loadConfig({
    ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`,
    COMPANY_NAME: 'Acme Leads Ltd',
    COMPANY_ADDRESS: '1 High Street, London EC1A 1AA',
    PRIVACY_CONTACT_EMAIL: 'privacy@acme.test',
    CONVERSATION_RETENTION_DAYS: '45',
    ...env,
  });
const appWith = (env: Record<string, string> = {}) => express().use(publicPagesRouter(configWith(env)));
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
const DEADLINE_DAYS = DUE_AFTER_MS / (24 * 60 * 60 * 1000);

describe('/privacy', () => {
  it('renders the policy with every number, address and list from config and the constants the code uses', async () => {
    const res = await request(appWith()).get('/privacy');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const text = textOf(res.text);
    expect(res.text).not.toContain('{{');
    expect(text).toContain('Acme Leads Ltd operates LuxLeads AI');
    expect(text).toContain('retained for up to 45 days of inactivity');
    expect(text).toContain(`Deletion requests from Meta are processed within ${DEADLINE_DAYS} days`);
    expect(text).toContain(`We will respond within ${DEADLINE_DAYS} days`);
    expect(text).toContain('Address: 1 High Street, London EC1A 1AA');
    expect(text).toMatch(/Last updated: December 2026/);
    expect(res.text.match(/mailto:privacy@acme\.test/g)?.length).toBeGreaterThanOrEqual(3);
    // §6 lists exactly the permissions the login dialog asks for, in its order, with its purposes.
    const section6 = res.text.slice(res.text.indexOf('id="section-6"'), res.text.indexOf('id="section-7"'));
    expect([...section6.matchAll(/<li><code>(\w+)<\/code> — ([^<]+)<\/li>/g)].map((m) => [m[1], m[2]])).toEqual(
      META_PERMISSIONS.map((p) => [p.name, p.purpose]),
    );
  });

  it('shows a change of config on the page, and leaves out an address that is not set', async () => {
    const res = await request(appWith({ CONVERSATION_RETENTION_DAYS: '30', COMPANY_ADDRESS: '' })).get('/privacy');
    expect(textOf(res.text)).toContain('retained for up to 30 days of inactivity');
    expect(res.text).not.toContain('Address:');
    expect(res.text).not.toContain('{{');
  });

  it('keeps leads only while the account is active, and names a configured closure grace period', async () => {
    const byDefault = textOf((await request(appWith()).get('/privacy')).text);
    expect(byDefault).toContain('Lead records are retained for as long as the business account is active Facebook');
    const withGrace = textOf((await request(appWith({ ACCOUNT_CLOSURE_GRACE_DAYS: '14' })).get('/privacy')).text);
    expect(withGrace).toContain(
      'Lead records are retained for as long as the business account is active, and for 14 days after it is closed so its owner can export them; then they are erased',
    );
  });

  it('says outreach tracking is off by default, as a new campaign is', async () => {
    const section11 = textOf((await request(appWith()).get('/privacy')).text);
    expect(section11).toContain('Open and click tracking is off by default');
    expect(outreachCampaignSchema.path('isTrackingEnabled').options.default).toBe(false);
  });

  it('refuses a policy text whose placeholders and facts do not match one to one', () => {
    const facts = policyFactsOf(configWith());
    expect(() => renderPrivacyPolicy(facts, '# Privacy Policy\n{{retentionDayz}}')).toThrow(/no value for \{\{retentionDayz\}\}/);
    expect(() => renderPrivacyPolicy(facts, '# Privacy Policy\nWe keep chats for 90 days.')).toThrow(
      /never shows .*conversationRetentionDays/,
    );
  });

  it('lists as essential every cookie a route sets (§12)', async () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
      );
    const api = sources(join(ROOT, 'api')).join('\n');
    const set = [...api.matchAll(/res\.cookie\(\s*([A-Z_]+)/g)].map((m) => m[1]!);
    expect(set.length).toBeGreaterThan(0);
    const names = set.map((ident) => new RegExp(`export const ${ident} = '([^']+)'`).exec(api)?.[1] ?? `(${ident} not found)`);
    expect(ESSENTIAL_COOKIES.map((c) => c.name).sort()).toEqual([...new Set(names)].sort());
    const section12 = textOf((await request(appWith()).get('/privacy')).text);
    for (const c of ESSENTIAL_COOKIES) expect(section12).toContain(`${c.name} (essential)`);
  });
});

describe('public pages', () => {
  it('serve /privacy and /terms under a strict CSP with a stylesheet cached for a year under its hash', async () => {
    const app = appWith({ PUBLIC_URL: 'https://app.acme.test' });
    for (const path of ['/privacy', '/terms']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|script-src/);
      expect(res.text).toMatch(/<html lang="en">/);
      expect(res.text).not.toMatch(/<script|style=/);
      expect(res.text).toContain(`<link rel="stylesheet" href="${PUBLIC_STYLESHEET.path}">`);
      expect(res.text).toMatch(/<header[\s\S]*<main id="main">[\s\S]*<h1>[\s\S]*<\/main>[\s\S]*<footer/);
      expect(textOf(res.text)).toContain('LuxLeads AI is operated by Acme Leads Ltd, 1 High Street, London EC1A 1AA.');
      expect(res.text).toContain('<a href="/privacy">Privacy policy</a>');
    }
    const css = await request(app).get(PUBLIC_STYLESHEET.path);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(PUBLIC_STYLESHEET.path).toMatch(/^\/assets\/public-[0-9a-f]{12}\.css$/);
  });

  it('/terms is a placeholder that names the company and links the policy', async () => {
    const res = await request(appWith()).get('/terms');
    expect(textOf(res.text)).toContain('Our terms of service are being written');
    expect(textOf(res.text)).toContain('agreement with Acme Leads Ltd');
  });
});

describe('email footer', () => {
  it('names the company and links /privacy in text and HTML', () => {
    const id = companyIdentityOf(configWith({ PUBLIC_URL: 'https://app.acme.test/' }));
    const footer = emailFooter(id);
    expect(footer.text).toBe(
      '--\nAcme Leads Ltd, 1 High Street, London EC1A 1AA\nPrivacy policy: https://app.acme.test/privacy\nPrivacy questions: privacy@acme.test',
    );
    expect(footer.html).toContain('<a href="https://app.acme.test/privacy"');
    const mail = withEmailFooter({ subject: 'New lead', text: 'Hello', html: '<p>Hello</p>' }, id);
    expect(mail.text).toMatch(/^Hello\n\n--\n/);
    expect(mail.html).toMatch(/^<p>Hello<\/p><hr/);
    expect(withEmailFooter({ text: 'Plain' }, id)).toEqual({ text: `Plain\n\n${footer.text}` });
  });
});
