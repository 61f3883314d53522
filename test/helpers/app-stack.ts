/**
 * The real stack for the web app's browser tests: the harness (worker, fakes, a fresh database) with PUBLIC_URL set
 * to the address the API listens on (OAuth redirects and emailed links must point at it), web/dist built when stale,
 * and a Chromium. Also the checks every page gets: axe-core (no serious or critical violation), a screenshot, its
 * icons, and no Content-Security-Policy refusal, script error or 404 of one of its own files.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensureWebBuild } from '../../web/build.js';
import { launchBrowser } from './browser.js';
import { TEST_PASSWORD, type TestAccount } from './accounts.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

export const APP_ARTIFACTS = 'test-artifacts/app';

/** Logs `who` in through the app's login page in a new page of `context`; resolves on the app's home. */
export const logIn = async (s: Pick<AppStack, 'origin'>, context: BrowserContext, who: Pick<TestAccount, 'email'>) => {
  const page = await context.newPage();
  await page.goto(`${s.origin}/app/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${s.origin}/app`);
  return page;
};

/**
 * An HTTP server listening on a port the kernel picked, answering 503 until `serve` hands it the app. Listening first
 * and building the app second keeps the port ours: a port picked, released and listened on again after the
 * harness's start-up (seconds) was once taken meanwhile by another test process's outgoing connection (EADDRINUSE).
 */
const listenFirst = async () => {
  let handler: RequestListener = (_req, res) => res.writeHead(503).end();
  const server = createHttpServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const serve = (app: RequestListener) => void (handler = app);
  return { server, port: (server.address() as AddressInfo).port, serve };
};

export type AppStack = {
  h: Harness;
  origin: string;
  browser: Browser;
  /** A fresh browser profile (cookies, storage) with console problems recorded for `expectCleanConsole`. */
  newContext: (opts?: { viewport?: { width: number; height: number }; isMobile?: boolean }) => Promise<BrowserContext>;
  stop: () => Promise<void>;
};

export const startAppStack = async (name: string, opts: HarnessOptions = {}): Promise<AppStack> => {
  await ensureWebBuild();
  const { server, port, serve } = await listenFirst();
  const origin = `http://127.0.0.1:${port}`;
  const h = await startHarness(name, { ...opts, env: { PUBLIC_URL: origin, ...opts.env } }).catch(async (err: unknown) => {
    await new Promise((r) => server.close(r));
    throw err;
  });
  serve(h.app);
  const browser = await launchBrowser();
  mkdirSync(APP_ARTIFACTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    h,
    origin,
    browser,
    newContext: async (o = {}) => {
      const context = await browser.newContext({ viewport: o.viewport ?? { width: 1280, height: 860 }, isMobile: o.isMobile ?? false });
      contexts.push(context);
      context.on('page', watchConsole);
      return context;
    },
    stop: async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await h.stop();
    },
  };
};

const problems = new WeakMap<Page, string[]>();
const watchConsole = (page: Page) => {
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('console', (m) => {
    // A refused script, style or connection is a CSP violation: the app must live within its policy.
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  page.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
  // A missing script, style, image, icon or frame of our own origin is a broken page (API answers are the app's business).
  page.on('response', (r) => {
    const kind = r.request().resourceType();
    if (r.status() === 404 && kind !== 'fetch' && kind !== 'xhr' && isSameOrigin(r.url(), page.url())) seen.push(`404 ${kind} ${r.url()}`);
  });
};
const isSameOrigin = (a: string, b: string) => {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
};

/** A phone-sized mobile context. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true } as const;

/**
 * The page fits the phone's width. Measured against the configured width, not `innerWidth`: on a mobile viewport
 * Chromium zooms out to fit wider content, so `innerWidth` grows with the overflow and could never show it.
 */
export const expectNoSideScroll = async (page: Page) =>
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.viewport.width);

export const expectCleanConsole = (page: Page) => expect(problems.get(page) ?? []).toEqual([]);

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** Runs axe-core in the page (through the DevTools protocol, so the page's CSP does not apply to it). */
export const axeViolations = async (page: Page): Promise<AxeViolation[]> => {
  await page.evaluate(axeSource);
  const result = await page.evaluate<{ violations: AxeViolation[] }>("axe.run(document, { resultTypes: ['violations'] })");
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
};

/** The page's icons (its <link rel=icon> and /favicon.ico, which browsers fetch on their own) answer, not 404. */
export const expectIcons = async (page: Page) => {
  const linked = await page.evaluate<string[]>('[...document.querySelectorAll(\'link[rel~="icon"]\')].map((l) => l.href)');
  for (const url of [...linked, new URL('/favicon.ico', page.url()).href]) {
    const res = await page.request.get(url);
    expect(`${res.status()} ${res.headers()['content-type']}`, url).toMatch(/^200 image\//);
  }
};

/** The checks every page of the app gets: a screenshot, no serious or critical axe violation, a clean console, its icons. */
export const checkPage = async (page: Page, shot: string) => {
  await page.screenshot({ path: `${APP_ARTIFACTS}/${shot}.png`, fullPage: true });
  await expectIcons(page);
  const violations = await axeViolations(page);
  expect(
    violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`),
    `axe on ${shot}`,
  ).toEqual([]);
  expectCleanConsole(page);
};
