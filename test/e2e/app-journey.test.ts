/**
 * The owner's first day in the web app, in a real browser against the real stack and the fakes: sign up, verify the
 * email from the mailed link, fill in the profile and hours, connect a Page through Facebook Login, watch a Messenger
 * message arrive live, take over, reply as a person (Meta receives it with the HUMAN_AGENT tag outside 24 hours),
 * hand back, find the lead, export CSV, and open the lead from the alert email. axe-core and a screenshot on each page.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelOutput } from '../../sandbox/fakes/model-output.js';
import { APP_ARTIFACTS, checkPage, startAppStack, type AppStack } from '../helpers/app-stack.js';
import { eventually, TEST_APP_SECRET } from '../helpers/harness.js';
import { messagingEvent, metaJson, signed, webhookBody } from '../helpers/meta-events.js';
import { TEST_PASSWORD, uniqueEmail } from '../helpers/accounts.js';

const PAGE = { id: '300000000000011', name: 'Lux Villas Marbella', token: 'PAGE-TOKEN-JOURNEY-000000000011' };
const PSID = '7100000000000011';
const ASID = '5550011';

let s: AppStack;
let page: Page;
const owner = { email: uniqueEmail('journey'), name: 'Maria Owner', business: 'Lux Villas' };

beforeAll(async () => {
  s = await startAppStack('app-journey', { withOpenAI: true, withResend: true });
  s.h.openai!.respondWithJson(
    modelOutput({
      reply: 'Thanks Tom! A villa for 6 in August is possible. Could I have your email to send options?',
      lead: { name: 'Tom Buyer', phone: '+447700900456', enquiry: 'Villa for 6 people in August' },
      enquiryType: 'booking_request',
    }),
  );
  const context = await s.newContext();
  page = await context.newPage();
});
afterAll(async () => {
  await s?.stop();
});

const text = (selector: string) => page.locator(selector).innerText();
const businessOf = async () => (await s.h.models.User.findOne({ email: owner.email }).lean())!;

describe('the owner web app in a browser', () => {
  it('signs up and lands on the setup checklist', async () => {
    await page.goto(`${s.origin}/app`);
    await page.waitForURL(/\/app\/login/);
    await checkPage(page, '01-login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Business name').fill(owner.business);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await checkPage(page, '02-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/app\/setup$/);
    await expect.poll(() => page.getByTestId('step-profile').getAttribute('data-done')).toBe('false');
    expect(await text('.banner')).toContain('Confirm your email address');
    await checkPage(page, '03-setup');

    // The login lives in an httpOnly cookie, not in storage: a reload keeps it, and scripts cannot read it.
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'luxleads_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/web-session' });
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    expect(await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toContain('lr_');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Setup' }).isVisible()).toBe(true);
  });

  it('verifies the email address from the link in the email', async () => {
    const mail = await eventually(() => s.h.resend!.emailsTo(owner.email).find((e) => e.tags?.some((t) => t.value === 'verify_email')), {
      what: 'verification email',
    });
    const link = mail.text!.match(/https?:\/\/\S+verify-email\?token=\S+/)![0];
    expect(link.startsWith(s.origin)).toBe(true);
    await page.goto(link);
    await expect.poll(() => page.locator('[role=status]').first().innerText()).toContain('is confirmed');
    expect(page.url()).toBe(`${s.origin}/app/verify-email`);
    await checkPage(page, '04-verified');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(/\/app\/setup$/);
    expect(await page.locator('.banner').count()).toBe(0);
  });

  it('fills in the business profile and working hours', async () => {
    await page.getByRole('link', { name: 'Business profile and working hours' }).click();
    await page.waitForURL(/\/app\/settings\/profile/);
    await page.getByLabel('Niche').fill('holiday villas');
    for (const [i, day] of [1, 2].entries()) {
      await page.getByRole('button', { name: 'Add opening hours' }).click();
      const row = page.getByTestId('hours-row').nth(i);
      await row.getByLabel('Day').selectOption(String(day));
      await row.getByLabel('Opens').fill('09:00');
      await row.getByLabel('Closes').fill('17:30');
    }
    await page.getByLabel('Pricing').fill('Villas from €250 a night.');
    await page.getByLabel('Drafts: the assistant writes, a person approves').check();
    await page.getByLabel('Automatic: the assistant replies on its own').check();
    await checkPage(page, '05-profile');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    const user = await businessOf();
    const membership = (await s.h.models.Membership.findOne({ userId: user._id }).lean())!;
    const business = (await s.h.models.Business.findById(membership.businessId).lean())!;
    expect(business.niche).toBe('holiday villas');
    expect(business.workingHours.map((h) => [h.day, h.open, h.close])).toEqual([
      [1, '09:00', '17:30'],
      [2, '09:00', '17:30'],
    ]);
    expect(business.pricing).toBe('Villas from €250 a night.');
  });

  it('sets where new-lead alerts go', async () => {
    await page.goto(`${s.origin}/app/settings/notifications`);
    await page.getByLabel('Email address').fill(owner.email);
    await page.getByRole('button', { name: 'Add email' }).click();
    await checkPage(page, '06-notifications');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
  });

  it('connects a Facebook Page through Facebook Login and comes back to choose it', async () => {
    // Facebook's dialog, played by the test: the person accepts and Facebook redirects to our callback with a code.
    await page.route('https://www.facebook.com/**', async (route) => {
      const dialog = new URL(route.request().url());
      s.h.graph.addOAuthUser({
        code: 'JOURNEY-CODE',
        userId: ASID,
        redirectUri: dialog.searchParams.get('redirect_uri')!,
        pages: [PAGE],
        scopes: dialog.searchParams.get('scope')!.split(','),
      });
      const back = new URL(dialog.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'JOURNEY-CODE');
      back.searchParams.set('state', dialog.searchParams.get('state')!);
      await route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    await page.goto(`${s.origin}/app/settings/connect`);
    await checkPage(page, '07-connect');
    await page.getByRole('button', { name: 'Connect with Facebook' }).click();
    await page.waitForURL(/\/app\/connect\/facebook\?pending=mpc_/);
    const choice = page.getByRole('checkbox', { name: new RegExp(PAGE.name) });
    await expect.poll(() => choice.isChecked()).toBe(true);
    await checkPage(page, '08-choose-pages');
    await page.getByRole('button', { name: 'Connect the chosen Pages' }).click();
    await expect.poll(() => page.getByTestId('channels').innerText()).toContain(PAGE.name);
    expect(await page.getByTestId('channels').innerText()).toContain('Connected');
    expect(s.h.graph.callsTo('POST', new RegExp(`/${PAGE.id}/subscribed_apps$`))).toHaveLength(1);
  });

  it('shows a Messenger message in the inbox as it arrives, then takes over, replies as a person and hands back', async () => {
    await page.goto(`${s.origin}/app/inbox`);
    await expect.poll(() => page.getByText('No conversations yet').isVisible()).toBe(true);
    await checkPage(page, '09-inbox-empty');

    const { raw, signature } = signed(
      metaJson(
        webhookBody('page', [
          {
            id: PAGE.id,
            messaging: [
              messagingEvent({ pageId: PAGE.id, senderId: PSID, text: 'Hi, do you have a villa for 6 in August? Tom, +44 7700 900456' }),
            ],
          },
        ]),
      ),
      TEST_APP_SECRET,
    );
    const delivered = await request(s.h.app)
      .post('/webhooks/meta')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signature)
      .send(raw);
    expect(delivered.status).toBe(200);

    // No reload: the long-poll brings it in.
    const item = page.getByTestId('conversation-item').first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await item.innerText()).toContain('Messenger');
    await item.click();
    await page.waitForURL(/\/app\/inbox\/.+/);
    await expect.poll(() => page.locator('[data-testid=message][data-author=assistant]').count(), { timeout: 30_000 }).toBe(1);
    expect(await text('[data-testid=message][data-author=visitor]')).toContain('villa for 6 in August');
    expect(await text('[data-testid=reply-window]')).toMatch(/Standard messaging window: \d+ h \d+ min left/);
    await checkPage(page, '10-conversation');

    await page.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => text('[data-testid=conversation-mode]')).toContain('Paused: a person is answering');

    // Two days pass without a word from Tom: the standard window is over, a person may still answer for 7 days.
    const conversationId = decodeURIComponent(page.url().split('/app/inbox/')[1]!);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await s.h.models.Conversation.updateOne(
      { _id: conversationId },
      { $set: { lastInboundAt: twoDaysAgo, windowExpiresAt: new Date(twoDaysAgo.getTime() + 24 * 3600 * 1000) } },
    );
    await page.reload();
    await expect.poll(() => text('[data-testid=reply-window]')).toMatch(/HUMAN_AGENT tag: 4 d \d+ h left/);
    await checkPage(page, '11-taken-over');

    await page.getByLabel('Your reply').fill('Hi Tom, this is Maria. We have Villa Sol free in August, sending details now.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('[data-testid=message][data-author=human]').count(), { timeout: 30_000 }).toBe(1);
    const sent = await eventually(() => s.h.graph.sentMessages().find((m) => m.recipientId === PSID && m.text?.includes('Villa Sol')), {
      what: 'the human reply at the fake Graph',
    });
    expect(sent).toMatchObject({ senderId: PAGE.id, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    await page.getByRole('button', { name: 'Hand back to the assistant' }).click();
    await expect.poll(() => text('[data-testid=conversation-mode]')).toContain('Assistant answering');
  });

  it('lists the lead, exports CSV, and opens the lead from the alert email', async () => {
    await page.goto(`${s.origin}/app/leads`);
    const row = page.getByTestId('lead-row').filter({ hasText: 'Tom Buyer' });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await row.innerText()).toContain('+447700900456');
    await checkPage(page, '12-leads');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/name/i);
    expect(csv).toContain('Tom Buyer');
    await download.saveAs(`${APP_ARTIFACTS}/leads.csv`);

    const alert = await eventually(() => s.h.resend!.emailsTo(owner.email).find((e) => /\/app\/leads\//.test(e.text ?? e.html ?? '')), {
      what: 'the new-lead alert email',
    });
    const link = (alert.text ?? alert.html ?? '').match(/https?:\/\/[^\s"<]+\/app\/leads\/[^\s"<]+/)![0];
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Tom Buyer');
    expect(await page.locator('[data-testid=message][data-author=human]').innerText()).toContain('Villa Sol');
    await checkPage(page, '13-lead');

    await page.getByLabel('Status').selectOption('contacted');
    await page.getByLabel('Notes').fill('Wants Villa Sol, 6 guests.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    const leadId = decodeURIComponent(link.split('/app/leads/')[1]!);
    const lead = (await s.h.models.Lead.findById(leadId).lean())!;
    expect([lead.status, lead.notes]).toEqual(['contacted', 'Wants Villa Sol, 6 guests.']);
  });

  it('shows the overview with the lead counted', async () => {
    await page.goto(`${s.origin}/app`);
    await expect.poll(() => page.getByTestId('stat-leads').innerText()).toBe('1');
    await checkPage(page, '14-overview');
  });

  it('logs out and back in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/app\/login/);
    expect((await page.context().cookies()).find((c) => c.name === 'luxleads_session')).toBeUndefined();
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${s.origin}/app`);
  });
});
