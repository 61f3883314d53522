import { mkdirSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdsFromConfig } from '../../api/widget/session-id.js';
import { DEMO } from '../../domain/demo-seed.js';
import { launchBrowser } from '../helpers/browser.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { modelOutput } from '../../sandbox/fakes/model-output.js';

const ARTIFACTS = 'test-artifacts';
const SAM = "Hi, I'm Sam, can I book a consultation? my number is 07700 900123";

let h: Harness;
let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  h = await startHarness('widget-e2e', { withOpenAI: true });
  // A reply that takes a moment, so the typing indicator is visible to a person (and to this test). Long enough that
  // the long-poll's check sees the flag between its set and its clear on a loaded 2-core box (1.5 s was missed once).
  h.openai!.delayAll(4000);
  h.openai!.respondWithJson(
    modelOutput({
      reply:
        "Thanks Sam! I'm the automated assistant for Bright Smile Dental Clinic. You can book a consultation here: https://example.com/brightsmile/book",
      lead: { name: 'Sam', phone: '07700 900123', enquiry: 'Wants to book a consultation' },
      enquiryType: 'appointment',
      wantsBooking: true,
    }),
  );
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await h.models.Business.updateOne({ _id: DEMO.businessId }, { $set: { allowedOrigins: [origin] } });
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await h?.stop();
});

const openWidget = async (page: Page) => {
  await page.locator('[data-testid=ll-launcher]').click();
  await expect.poll(() => page.locator('[data-testid=ll-panel]').isVisible()).toBe(true);
};

describe('website chat widget in a real browser', () => {
  it('chats on /demo: typing indicator, reply, history after reload, lead in MongoDB', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${origin}/demo`);
    await openWidget(page);
    await expect
      .poll(() => page.locator('[data-testid=ll-disclosure]').textContent())
      .toContain("You're chatting with an automated assistant for Bright Smile Dental Clinic");

    await page.locator('[data-testid=ll-input]').fill(SAM);
    await page.locator('[data-testid=ll-send]').click();
    await page.locator('[data-testid=ll-typing]').waitFor({ state: 'visible', timeout: 15_000 });
    const reply = page.locator('[data-testid=ll-message][data-direction=outbound]');
    await reply.first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await reply.first().textContent()).toMatch(/Thanks Sam! I'm the automated assistant/);
    await page.screenshot({ path: `${ARTIFACTS}/widget-open.png` });

    await page.reload();
    await openWidget(page);
    const messages = page.locator('[data-testid=ll-message]');
    await expect.poll(() => messages.count(), { timeout: 15_000 }).toBe(2);
    expect(await messages.nth(0).textContent()).toContain('07700 900123');

    const lead = await eventually(() => h.models.Lead.findOne({ businessId: DEMO.businessId, channel: 'web', name: 'Sam' }).lean(), {
      what: 'web lead',
    });
    expect(lead.phone).toBe('+447700900123');
    await page.close();
  });

  it('replaces an expired session kept in localStorage without the visitor noticing', async () => {
    const days = h.config.WIDGET_SESSION_MAX_AGE_DAYS;
    const expired = sessionIdsFromConfig(h.config, () => Date.now() - (days + 1) * 24 * 60 * 60 * 1000).issue(DEMO.businessId);
    const page = await browser.newPage();
    const storageKey = JSON.stringify(`luxleads:session:${DEMO.publishableKey}`);
    await page.addInitScript(`localStorage.setItem(${storageKey}, ${JSON.stringify(expired)})`);
    await page.goto(`${origin}/demo`);
    await openWidget(page);
    await page.locator('[data-testid=ll-input]').fill('Are you open on Saturdays?');
    await page.locator('[data-testid=ll-send]').click();
    await page.locator('[data-testid=ll-message][data-direction=outbound]').first().waitFor({ state: 'visible', timeout: 20_000 });
    const stored = await page.evaluate<string | null>(`localStorage.getItem(${storageKey})`);
    expect(stored).toMatch(/^ws_/);
    expect(stored).not.toBe(expired);
    expect(await page.locator('[data-testid=ll-message]').count()).toBe(2);
    await page.close();
  });

  it('opens the request form from the chat\'s "Your data" link, tied to the chat, and answers with the request\'s confirmation code', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${origin}/demo`);
    await openWidget(page);
    const link = page.locator('[data-testid=ll-data-request]');
    await expect.poll(() => link.getAttribute('href')).toContain('/data-requests?key=');
    const href = new URL((await link.getAttribute('href'))!);
    const stored = await page.evaluate<string>('JSON.stringify(localStorage)');
    const sessionId = /ws_[A-Za-z0-9_.-]+/.exec(stored)?.[0];
    expect(sessionId).toBeTruthy();
    expect(href.href).not.toContain(sessionId!);

    await page.goto(`${origin}${href.pathname}${href.search}`);
    await page.getByLabel('What would you like?').selectOption('access');
    await page.getByRole('button', { name: 'Send my request' }).click();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/confirmation code is [a-f0-9]{24}/);
    const code = /confirmation code is ([a-f0-9]{24})/.exec((await page.locator('main').textContent())!)![1];
    expect(await h.models.PrivacyRequest.findById(code).lean()).toMatchObject({
      kind: 'access',
      source: 'form',
      businessId: DEMO.businessId,
    });
  });

  it('refuses a site whose origin is not allowed for the key', async () => {
    // Same server, other origin: localhost is not 127.0.0.1 as far as the browser is concerned.
    const other = origin.replace('127.0.0.1', 'localhost');
    const page = await browser.newPage();
    await page.goto(`${other}/demo`);
    await page.locator('[data-testid=ll-launcher]').click();
    await expect
      .poll(() => page.locator('[data-testid=ll-panel]').textContent(), { timeout: 15_000 })
      .toContain('Chat is unavailable on this site.');
    await page.close();

    const res = await request(h.app).post('/widget/v1/sessions').set('origin', 'https://evil.example').send({ key: DEMO.publishableKey });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
