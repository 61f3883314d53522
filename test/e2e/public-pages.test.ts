/**
 * The public pages in a real browser (Debian chromium): /privacy, /terms, the deletion form, a request's status
 * and an unknown code, each under its strict CSP, on a desktop and a phone viewport, checked with axe-core
 * (no serious or critical violations), with their landmarks, one h1 and the company footer. Screenshots go to
 * test-artifacts/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { launchBrowser } from '../helpers/browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const ARTIFACTS = 'test-artifacts';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
const COMPANY = {
  COMPANY_NAME: 'Acme Leads Ltd',
  COMPANY_ADDRESS: '1 High Street, London EC1A 1AA',
  PRIVACY_CONTACT_EMAIL: 'privacy@acme.test',
};

let h: Harness;
let server: Server;
let browser: Browser;
let origin: string;
const code = randomBytes(12).toString('hex');

beforeAll(async () => {
  h = await startHarness('public-pages-e2e', { startWorker: false, env: COMPANY });
  const now = Date.now();
  await h.models.PrivacyRequest.create({
    _id: code,
    kind: 'deletion',
    source: 'meta_callback',
    status: 'in_progress',
    subjectHash: 'h',
    workflowId: `privacy-request:${code}`,
    requestedByType: 'meta',
    receivedAt: new Date(now),
    dueAt: new Date(now + 30 * 24 * 60 * 60 * 1000),
  });
  // A business that set no privacy link of its own: the widget then links the company's policy.
  await h.models.Business.updateOne({ _id: DEMO.businessId }, { $unset: { privacyUrl: 1 } });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await h?.stop();
});

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** axe-core evaluated over the DevTools protocol (the page's CSP forbids injected script tags, rightly). */
const seriousViolations = async (page: Page) => {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(
    '(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))()',
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
};

/** Opens `path` recording CSP violations, then checks what every public page must have. */
const openPublicPage = async (page: Page, path: string, expected: { status: number; h1: RegExp }) => {
  await page.addInitScript(
    "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  );
  const res = await page.goto(`${origin}${path}`);
  expect(res?.status(), path).toBe(expected.status);
  expect(res?.headers()['content-security-policy'], path).toMatch(/default-src 'none'/);
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.locator('header').count()).toBe(1);
  expect(await page.locator('main').count()).toBe(1);
  expect(await page.locator('footer').count()).toBe(1);
  expect(await page.locator('h1').count()).toBe(1);
  expect(await page.locator('h1').textContent()).toMatch(expected.h1);
  const footer = await page.locator('footer').textContent();
  expect(footer).toContain('LuxLeads AI is operated by Acme Leads Ltd, 1 High Street, London EC1A 1AA.');
  expect(await page.locator('footer a[href="/privacy"]').count()).toBe(1);
  // The stylesheet loaded under the CSP: the skip link sits off-screen until focused.
  expect(await page.evaluate("getComputedStyle(document.querySelector('.skip')).position")).toBe('absolute');
  expect(await page.evaluate('window.__csp')).toEqual([]);
};

const PAGES = [
  { name: 'privacy', path: '/privacy', status: 200, h1: /^Privacy Policy$/ },
  { name: 'terms', path: '/terms', status: 200, h1: /^Terms of service$/ },
  { name: 'data-deletion', path: '/data-deletion', status: 200, h1: /delete/i },
  { name: 'data-deletion-status', path: `/data-deletion/${code}`, status: 200, h1: /request/i },
  { name: 'data-deletion-unknown', path: `/data-deletion/${'f'.repeat(24)}`, status: 404, h1: /confirmation code/i },
];

describe('public pages in a real browser', () => {
  for (const p of PAGES)
    it(`${p.path.replace(code, '<code>')}: landmarks, one h1, company footer, strict CSP, no serious axe violations on desktop and phone`, async () => {
      for (const [viewport, size] of Object.entries(VIEWPORTS)) {
        const page = await browser.newPage({ viewport: size });
        await openPublicPage(page, p.path, p);
        expect(await seriousViolations(page), `${p.path} (${viewport})`).toEqual([]);
        await page.screenshot({ path: `${ARTIFACTS}/public-${p.name}-${viewport}.png`, fullPage: true });
        await page.close();
      }
    });

  it('the privacy policy lists the Meta permissions and the essential cookie, and its first Tab stop skips to the content', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
    await openPublicPage(page, '/privacy', { status: 200, h1: /Privacy Policy/ });
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('pages_messaging — to send and receive Messenger messages');
    expect(main).toContain('ll_meta_oauth (essential)');
    expect(main).toContain('privacy@acme.test');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.close();
  });

  it("the widget's privacy link opens /privacy when the business has none of its own", async () => {
    const res = await request(h.app).post('/widget/v1/sessions').set('origin', 'http://127.0.0.1:3000').send({ key: DEMO.publishableKey });
    expect(res.status).toBe(200);
    const link = new URL((res.body as { config: { privacyUrl: string } }).config.privacyUrl);
    expect(link.href).toBe(`${h.config.PUBLIC_URL.replace(/\/$/, '')}/privacy`);
    const page = await browser.newPage();
    await openPublicPage(page, link.pathname, { status: 200, h1: /^Privacy Policy$/ });
    await page.close();
  });

  it('the deletion form posts under its CSP and answers with a page in the same layout', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.phone });
    await openPublicPage(page, `/data-deletion?key=${DEMO.publishableKey}`, { status: 200, h1: /delete/i });
    expect(await page.locator('#business').inputValue()).toBe(DEMO.publishableKey);
    // One form for every right: it posts to /data-requests (and /data-deletion keeps accepting posts).
    await Promise.all([page.waitForURL(`${origin}/data-requests`), page.locator('form button[type=submit]').click()]);
    expect(await page.locator('h1').textContent()).toBe('Ask in the chat');
    expect(await page.locator('footer a[href="/privacy"]').count()).toBe(1);
    expect(await page.evaluate('window.__csp')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/public-data-deletion-answer-phone.png`, fullPage: true });
    await page.close();
  });
});
