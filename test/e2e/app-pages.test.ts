/**
 * Every page of the web app in a real browser, for each kind of person: the owner (every settings section), a
 * member (owner-only settings are neither listed nor shown), compliance staff (the request list, overdue first),
 * and a phone (one column, the menu behind a button). axe-core runs on each page; screenshots go to test-artifacts/app.
 */
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpVerified, type TestAccount } from '../helpers/accounts.js';
import { checkPage, expectNoSideScroll, PHONE, startAppStack, type AppStack, logIn as logInAs } from '../helpers/app-stack.js';

let s: AppStack;
let owner: TestAccount;
let member: TestAccount;
const LEAD_ID = 'lead_pages_0001';
const CONVERSATION_ID = 'conv_pages_0001';

/** A conversation with a lead and a draft, written as the conversation activities would: the pages only read them. */
const seedInbox = async (businessId: string) => {
  const now = Date.now();
  const { models } = s.h;
  await models.Conversation.create({
    _id: CONVERSATION_ID,
    businessId,
    channel: 'instagram',
    channelId: 'ch_pages',
    contactId: 'igsid_pages',
    workflowId: CONVERSATION_ID,
    needsReview: true,
    reviewReason: 'asked for a person',
    leadId: LEAD_ID,
    messageCount: 3,
    lastMessageAt: new Date(now - 60_000),
    lastInboundAt: new Date(now - 120_000),
    windowExpiresAt: new Date(now - 120_000 + 24 * 3600 * 1000),
    // The rolling transcript the conversation activities keep (drafts are not in it): the inbox previews its last entry.
    recent: [
      {
        id: `${CONVERSATION_ID}_1`,
        direction: 'inbound',
        author: 'visitor',
        text: 'Hello, is the sea-view suite free?',
        at: new Date(now - 90_000),
      },
      {
        id: `${CONVERSATION_ID}_2`,
        direction: 'outbound',
        author: 'assistant',
        text: 'Hi Anna! Let me check with the team.',
        at: new Date(now - 60_000),
      },
    ],
  });
  const message = (
    n: number,
    direction: 'inbound' | 'outbound',
    author: 'visitor' | 'assistant',
    text: string,
    status: 'received' | 'sent' | 'draft',
  ) =>
    models.Message.create({
      _id: `${CONVERSATION_ID}_${n}`,
      conversationId: CONVERSATION_ID,
      businessId,
      channel: 'instagram',
      direction,
      author,
      text,
      status,
      at: new Date(now - (4 - n) * 30_000),
    });
  await message(1, 'inbound', 'visitor', 'Hello, is the sea-view suite free next weekend? Anna, anna@example.com', 'received');
  await message(2, 'outbound', 'assistant', 'Hi Anna! Let me check with the team.', 'sent');
  await message(3, 'outbound', 'assistant', 'Yes, the sea-view suite is free next weekend.', 'draft');
  await models.Lead.create({
    _id: LEAD_ID,
    businessId,
    channel: 'instagram',
    name: 'Anna Guest',
    email: 'anna@example.com',
    enquiry: 'Sea-view suite next weekend',
    urgency: 'high',
    needsHuman: true,
    conversationIds: [CONVERSATION_ID],
  });
};

const logIn = (context: BrowserContext, who: TestAccount) => logInAs(s, context, who);

const open = async (page: Page, path: string, heading: string) => {
  await page.goto(`${s.origin}${path}`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(heading);
  await expect.poll(() => page.locator('[role=status]:has-text("Loading")').count()).toBe(0);
};

beforeAll(async () => {
  s = await startAppStack('app-pages', { withResend: true });
  owner = await signUpVerified(s.h, { name: 'Olga Owner', businessName: 'Seaside Suites' });
  member = await addMember(s.h, owner, 'member');
  await seedInbox(owner.businessId);
  await request(s.h.app)
    .post(`/api/v1/businesses/${owner.businessId}/lead-webhooks`)
    .set(owner.auth)
    .send({ url: 'http://127.0.0.1:9/hooks', description: 'CRM' });
});
afterAll(async () => {
  await s?.stop();
});

describe('every page, as the owner', () => {
  it('passes axe on the overview, inbox, conversation, leads, lead, setup and every settings section', async () => {
    const page = await logIn(await s.newContext(), owner);
    const pages: [string, string, string][] = [
      ['/app', 'Overview', 'owner-overview'],
      ['/app/inbox', 'Inbox', 'owner-inbox'],
      [`/app/inbox/${CONVERSATION_ID}`, 'Inbox', 'owner-conversation'],
      ['/app/leads', 'Leads', 'owner-leads'],
      [`/app/leads/${LEAD_ID}`, 'Anna Guest', 'owner-lead'],
      ['/app/setup', 'Setup', 'owner-setup'],
      ['/app/settings/profile', 'Business profile', 'owner-settings-profile'],
      ['/app/settings/connect', 'Facebook and Instagram', 'owner-settings-connect'],
      ['/app/settings/widget', 'Website chat', 'owner-settings-widget'],
      ['/app/settings/notifications', 'Notifications', 'owner-settings-notifications'],
      ['/app/settings/webhooks', 'CRM webhooks', 'owner-settings-webhooks'],
      ['/app/settings/team', 'Team', 'owner-settings-team'],
      ['/app/settings/api-keys', 'API keys', 'owner-settings-api-keys'],
      ['/app/settings/billing', 'Plan and billing', 'owner-settings-billing'],
      ['/app/settings/account', 'Account', 'owner-settings-account'],
      ['/app/nothing-here', 'Page not found', 'not-found'],
    ];
    for (const [path, heading, shot] of pages) {
      await open(page, path, heading);
      await checkPage(page, shot);
    }
  });

  it('shows a draft to approve and the customer window on the conversation', async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, `/app/inbox/${CONVERSATION_ID}`, 'Inbox');
    expect(await page.getByRole('textbox', { name: 'Draft reply' }).inputValue()).toBe('Yes, the sea-view suite is free next weekend.');
    expect(await page.getByTestId('reply-window').innerText()).toMatch(/Standard messaging window: 23 h \d+ min left/);
    expect(await page.getByTestId('conversation-item').innerText()).toContain('Needs a person');
  });

  it('says plainly that billing is off without Stripe: the unlimited local plan, nothing to buy', async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, '/app/billing', 'Plan and billing');
    expect(await page.getByTestId('billing-local').innerText()).toContain('Billing is not enabled on this server');
    expect(await page.getByTestId('billing-plan').innerText()).toContain('Unlimited (local)');
    expect(await page.getByTestId('billing-usage').innerText()).toContain('(no limit)');
    expect(await page.getByRole('button', { name: /Choose|Manage payment/ }).count()).toBe(0);
    expect(await page.getByTestId('billing-banner').count()).toBe(0);
  });

  it("lists each conversation with the lead's name, urgency and last message, and filters by urgency", async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, '/app/inbox', 'Inbox');
    const item = page.getByTestId('conversation-item');
    await expect.poll(() => item.innerText()).toContain('Anna Guest');
    expect(await item.innerText()).toContain('Urgency: High');
    expect(await page.getByTestId('conversation-preview').innerText()).toBe('Assistant: Hi Anna! Let me check with the team.');
    await page.getByLabel('Urgency').selectOption('low');
    await expect.poll(() => page.getByText('No conversations match these filters.').isVisible()).toBe(true);
    expect(await item.count()).toBe(0);
    await page.getByLabel('Urgency').selectOption('high');
    await expect.poll(() => item.count()).toBe(1);
    await checkPage(page, 'owner-inbox-urgency-filter');
  });

  it("previews the business's own widget in a frame, once the app's origin is an allowed website", async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, '/app/settings/widget', 'Website chat');
    const frame = page.frameLocator('iframe.widget-preview');
    // Not an allowed website yet: the widget API refuses this origin, as it would any unlisted site.
    expect(await page.getByTestId('preview-not-allowed').innerText()).toContain(`The preview runs on ${s.origin}`);
    await expect.poll(() => frame.getByText('Chat is unavailable on this site.').count()).toBe(1);
    await page.getByRole('button', { name: 'Allow the preview' }).click();
    await expect.poll(() => page.getByTestId('preview-not-allowed').count()).toBe(0);
    const business = await s.h.models.Business.findById(owner.businessId).lean();
    expect(business!.allowedOrigins).toContain(s.origin);
    // The origins form below shows it too, so saving that form later keeps it.
    expect(await page.getByRole('button', { name: `Remove ${s.origin}` }).isVisible()).toBe(true);
    // The launcher is fixed to the frame's corner: bring the frame into the page's viewport first.
    await page.locator('iframe.widget-preview').scrollIntoViewIfNeeded();
    await frame.locator('[data-testid=ll-launcher]').click();
    await expect.poll(() => frame.locator('[data-testid=ll-panel]').innerText()).toContain('Seaside Suites');
    await checkPage(page, 'owner-settings-widget-preview');
  });

  it('creates an API key and shows it once', async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, '/app/settings/api-keys', 'API keys');
    await page.getByLabel('Key name').fill('Zapier');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('api-key').innerText();
    expect(key).toMatch(/^lk_/);
    const me = await request(s.h.app).get(`/api/v1/businesses/${owner.businessId}/leads`).set('Authorization', `Bearer ${key}`);
    expect(me.status).toBe(200);
    await page.reload();
    await expect.poll(() => page.getByText('Zapier').isVisible()).toBe(true);
    expect(await page.getByTestId('api-key').count()).toBe(0);
  });

  it('spells out the consequences before closing the account', async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, '/app/settings/account', 'Account');
    // No grace period by default: the policy keeps leads only while the account is active.
    expect(await page.locator('.danger-zone').innerText()).toContain('At once, every lead, conversation, message');
    expect(await page.locator('.danger-zone').innerText()).toContain('Export your leads as CSV before closing');
    expect(await page.getByRole('button', { name: 'Close the account' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('retention').innerText()).toContain(`${s.h.config.CONVERSATION_RETENTION_DAYS} days`);
  });

  it('lets you change your own name and download your data; deleting your user account waits for your confirmation', async () => {
    const me = await signUpVerified(s.h, { name: 'Olive Owner' });
    const page = await logIn(await s.newContext(), me);
    await open(page, '/app/settings/account', 'Account');
    await page.getByLabel('Name', { exact: true }).fill('Olive Ownerson');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.', { exact: true }).isVisible()).toBe(true);
    expect((await s.h.models.User.findById(me.userId).lean())?.name).toBe('Olive Ownerson');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    expect((await download).suggestedFilename()).toBe('my-account.json');
    expect(await page.getByRole('button', { name: 'Delete my account' }).isDisabled()).toBe(true);
  });

  it('passes axe on the signed-out pages', async () => {
    const page = await (await s.newContext()).newPage();
    for (const [path, heading, shot] of [
      ['/app/login', 'Log in to LuxLeads', 'login'],
      ['/app/signup', 'Create your LuxLeads account', 'signup'],
      ['/app/forgot-password', 'Reset your password', 'forgot-password'],
      ['/app/reset-password?token=not-a-real-token-000', 'Reset your password', 'reset-password'],
      ['/app/accept-invite?token=not-a-real-token-000', 'Join a business', 'accept-invite'],
    ]) {
      await open(page, path!, heading!);
      await checkPage(page, shot!);
    }
  });
});

describe('as a member', () => {
  it('does not see the owner-only settings, in the menu or at their address', async () => {
    const page = await logIn(await s.newContext(), member);
    // The member owns a business of their own too: they switch to the one they were invited to.
    await page.getByLabel('Business', { exact: true }).selectOption(owner.businessId);
    await open(page, '/app/settings/profile', 'Business profile');
    const menu = await page.getByRole('navigation', { name: 'Settings' }).innerText();
    expect(menu).toContain('Business profile');
    expect(menu).toContain('Team');
    for (const hidden of ['API keys', 'CRM webhooks', 'Facebook and Instagram', 'Website chat', 'Notifications', 'Plan and billing'])
      expect(menu).not.toContain(hidden);
    expect(await page.getByLabel('Business name').isDisabled()).toBe(true);
    await checkPage(page, 'member-settings');

    for (const [path, heading] of [
      ['/app/settings/api-keys', 'API keys'],
      ['/app/settings/webhooks', 'CRM webhooks'],
      ['/app/settings/connect', 'Facebook and Instagram'],
    ]) {
      await open(page, path!, heading!);
      expect(await page.getByTestId('owner-only').innerText()).toBe('Only an owner of this business can see and change this.');
      expect(await page.getByRole('button', { name: /Create key|Add endpoint|Connect with Facebook/ }).count()).toBe(0);
    }
    await open(page, '/app/settings/team', 'Team');
    expect(await page.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
    await open(page, '/app/settings/account', 'Account');
    expect(await page.locator('.danger-zone').count()).toBe(0);
    await open(page, '/app/compliance', 'Compliance');
    expect(await page.getByText('This page is for LuxLeads compliance staff.').isVisible()).toBe(true);
    // The member still works the inbox and leads.
    await open(page, `/app/leads/${LEAD_ID}`, 'Anna Guest');
    await checkPage(page, 'member-lead');
  });
});

describe('as compliance staff', () => {
  it('lists the rights and deletion requests, overdue first', async () => {
    const staff = await signUpVerified(s.h, { name: 'Carla Compliance' });
    await s.h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'compliance' } });
    const opened = await request(s.h.app)
      .post(`/api/v1/businesses/${owner.businessId}/rights-requests`)
      .set(owner.auth)
      .send({ kind: 'access', subject: { email: 'anna@example.com' } });
    expect(opened.status).toBeLessThan(300);
    const page = await logIn(await s.newContext(), staff);
    await open(page, '/app/compliance', 'Compliance');
    await expect.poll(() => page.getByTestId('requests').innerText()).toContain('access');
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toContain('Compliance');
    await checkPage(page, 'staff-compliance');
  });
});

describe('on a phone', () => {
  it('shows one column with the menu behind a button, and the leads as cards', async () => {
    const context = await s.newContext(PHONE);
    const page = await logIn(context, owner);
    expect(await page.getByRole('link', { name: 'Leads', exact: true }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    await expect.poll(() => page.getByTestId('lead-row').count()).toBe(1);
    await expectNoSideScroll(page);
    await checkPage(page, 'phone-leads');

    await open(page, '/app/inbox', 'Inbox');
    // The list row carries the name, urgency and preview on a phone too, without pushing the page sideways.
    await expect.poll(() => page.getByTestId('conversation-item').innerText()).toContain('Anna Guest');
    await expectNoSideScroll(page);
    await checkPage(page, 'phone-inbox');
    await page.getByTestId('conversation-item').click();
    await page.waitForURL(/\/app\/inbox\/conv_pages_0001/);
    // One pane at a time: the list gives way to the conversation, with a way back.
    expect(await page.getByTestId('conversation-item').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: '← All conversations' }).isVisible()).toBe(true);
    await expectNoSideScroll(page);
    await checkPage(page, 'phone-conversation');

    await open(page, '/app/settings/profile', 'Business profile');
    await expectNoSideScroll(page);
    await checkPage(page, 'phone-settings');

    await open(page, '/app/settings/widget', 'Website chat');
    await page.locator('iframe.widget-preview').scrollIntoViewIfNeeded();
    await expectNoSideScroll(page);
    await checkPage(page, 'phone-settings-widget');
  });
});

describe('with the keyboard only', () => {
  it('can be driven by keyboard alone: focus lands on each new page heading, the menu and the skip link are a few keys away', async () => {
    const page = await logIn(await s.newContext(), owner);
    const active = () => page.evaluate<string>('`${document.activeElement?.tagName} ${document.activeElement?.textContent}`');
    await expect.poll(active).toBe('H1 Overview');
    let steps = 0;
    while ((await active()) !== 'A Leads' && steps++ < 20) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/leads$/);
    await expect.poll(active).toBe('H1 Leads');
    while ((await active()) !== 'A Skip to content' && steps++ < 40) await page.keyboard.press('Shift+Tab');
    expect(await active()).toBe('A Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>('Boolean(document.activeElement?.closest("main"))')).toBe(true);
  });

  it('filters the inbox by urgency from the keyboard', async () => {
    const page = await logIn(await s.newContext(), owner);
    await open(page, '/app/inbox', 'Inbox');
    const label = () => page.evaluate<string>('document.activeElement?.labels?.[0]?.textContent ?? document.activeElement?.tagName');
    let steps = 0;
    while ((await label()) !== 'Urgency' && steps++ < 10) await page.keyboard.press('Tab');
    expect(await label()).toBe('Urgency');
    await page.keyboard.press('ArrowDown'); // All → Emergency
    await expect.poll(() => page.getByText('No conversations match these filters.').isVisible()).toBe(true);
    await page.keyboard.press('ArrowDown'); // → High
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(1);
  });
});
