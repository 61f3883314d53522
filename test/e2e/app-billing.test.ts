/**
 * The billing page in a real browser with Stripe configured against the sandbox's fake Stripe (the real `stripe`
 * library on the API side): the free trial and its days left, usage, choosing a plan (the browser goes to the
 * Checkout URL the API returned), the billing portal, the past-due and paused banners, a member kept out, a phone
 * and the keyboard. The unconfigured case (the unlimited local plan) is in app-pages.test.ts, whose stack has no Stripe.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../../sandbox/fakes/stripe.js';
import { addMember, signUpVerified, type TestAccount } from '../helpers/accounts.js';
import { checkPage, expectNoSideScroll, PHONE, startAppStack, type AppStack, logIn as logInAs } from '../helpers/app-stack.js';
import { DAY_MS } from '../../lib/durations.js';

let s: AppStack;
let stripe: FakeStripe;
let owner: TestAccount;

beforeAll(async () => {
  stripe = await startFakeStripe({ apiKey: 'sk_test_app_billing' });
  s = await startAppStack('app-billing', {
    withResend: true,
    env: {
      STRIPE_SECRET_KEY: 'sk_test_app_billing',
      STRIPE_WEBHOOK_SECRET: 'whsec_test_app_billing_0123456789',
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICE_STARTER: 'price_starter_app',
      STRIPE_PRICE_GROWTH: 'price_growth_app',
    },
  });
  owner = await signUpVerified(s.h, { name: 'Bea Billing', businessName: 'Trial Clinic' });
});
afterAll(async () => {
  await s?.stop();
  await stripe?.close();
});

const logIn = (context: BrowserContext, who: TestAccount) => logInAs(s, context, who);

const openBilling = async (page: Page) => {
  await page.goto(`${s.origin}/app/billing`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Plan and billing');
  await expect.poll(() => page.locator('[role=status]:has-text("Loading")').count()).toBe(0);
};

/** Records the `url` the API answers on `path` (the page navigates away at once, taking the response body with it). */
const recordReturnedUrl = async (page: Page, path: string) => {
  const returned: { status?: number; url?: string } = {};
  await page.route(`**${path}`, async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { url: string };
    Object.assign(returned, { status: res.status(), url: body.url });
    await route.fulfill({ response: res, json: body });
  });
  return returned;
};

/** A business whose billing record says `state`, as its BillingWorkflow would have written it. */
const ownerWithBilling = async (businessName: string, state: Record<string, unknown>) => {
  const account = await signUpVerified(s.h, { name: 'Pat Owner', businessName });
  const customer = stripe.addCustomer({ metadata: { businessId: account.businessId } });
  // Sign-up starts the BillingWorkflow, which may have written the trial already: the page reads this record either way.
  await s.h.models.BillingAccount.updateOne(
    { _id: account.businessId },
    { $set: { plan: 'starter', stripeCustomerId: customer.id, ...state } },
    { upsert: true },
  );
  return account;
};

describe('billing, with Stripe configured', () => {
  it('shows the trial with its days left and usage, and choosing a plan goes to the Checkout page the API returned', async () => {
    const page = await logIn(await s.newContext(), owner);
    await openBilling(page);
    expect(await page.getByTestId('billing-plan').innerText()).toContain('Free trial');
    expect(await page.getByTestId('billing-status').innerText()).toMatch(/^1[34] days left in your free trial/);
    expect(await page.getByRole('link', { name: 'Settings', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('billing-usage').innerText()).toContain('0 of 1500');
    expect(await page.getByTestId('billing-local').count()).toBe(0);
    expect(await page.getByTestId('plan-pro').innerText()).toContain('Not offered on this server');
    expect(await page.getByRole('button', { name: 'Manage payment and invoices' }).count()).toBe(0);
    await checkPage(page, 'owner-billing-trial');

    const checkout = await recordReturnedUrl(page, `/api/v1/businesses/${owner.businessId}/billing/checkout`);
    await page.getByRole('button', { name: 'Choose Growth' }).click();
    await page.waitForURL(`${stripe.url}/**`);
    expect(checkout.status).toBe(201);
    expect(checkout.url).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_`));
    expect(page.url()).toBe(checkout.url);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Fake Stripe page');
    const created = stripe.calls.filter((c) => c.method === 'POST' && c.path === '/v1/checkout/sessions');
    expect(created).toHaveLength(1);
    expect(JSON.stringify(created[0]!.body)).toContain('price_growth_app');
  });

  it('comes back from Checkout with a notice, and opens the billing portal once a customer exists', async () => {
    const page = await logIn(await s.newContext(), owner);
    await page.goto(`${s.origin}/app/billing?checkout=canceled`);
    await expect.poll(() => page.getByText('Checkout was canceled; nothing was charged.').isVisible()).toBe(true);
    const portal = await recordReturnedUrl(page, `/api/v1/businesses/${owner.businessId}/billing/portal`);
    await page.getByRole('button', { name: 'Manage payment and invoices' }).click();
    await page.waitForURL(`${stripe.url}/**`);
    expect(portal.url).toMatch(new RegExp(`^${stripe.url}/p/session/`));
    expect(page.url()).toBe(portal.url);
  });

  it('warns every page of a past-due account, and the banner leads the owner to the billing page', async () => {
    const graceEndsAt = new Date(Date.now() + 5 * DAY_MS);
    const pastDue = await ownerWithBilling('Late Payer Clinic', {
      status: 'past_due',
      pastDueSince: new Date(Date.now() - 2 * DAY_MS),
      graceEndsAt,
      currentPeriodEnd: new Date(Date.now() + 28 * DAY_MS),
    });
    const page = await logIn(await s.newContext(), pastDue);
    await expect.poll(() => page.getByTestId('billing-banner').isVisible()).toBe(true);
    expect(await page.getByTestId('billing-banner').innerText()).toContain('Your last payment failed: the assistant pauses on');
    await page.getByRole('link', { name: 'See plan and billing' }).click();
    await page.waitForURL(`${s.origin}/app/billing`);
    await expect.poll(() => page.getByTestId('billing-status').innerText()).toContain('Your last payment failed.');
    expect(await page.getByTestId('billing-plan').innerText()).toContain('Payment failed');
    expect(await page.getByRole('button', { name: 'Manage payment and invoices' }).isVisible()).toBe(true);
    // A live subscription is changed in the portal, not bought again.
    expect(await page.getByRole('heading', { name: 'Choose a plan' }).count()).toBe(0);
    await checkPage(page, 'owner-billing-past-due');
  });

  it('says why a paused assistant is paused, offers the plans after the trial, and tells a member to ask an owner', async () => {
    const paused = await ownerWithBilling('Ended Trial Clinic', {
      plan: 'trial',
      status: 'paused',
      reason: 'trial_ended',
      trialEndsAt: new Date(Date.now() - DAY_MS),
    });
    const page = await logIn(await s.newContext(), paused);
    await expect.poll(() => page.getByTestId('billing-banner').innerText()).toContain('The assistant is paused');
    await openBilling(page);
    expect(await page.getByTestId('billing-status').innerText()).toBe(
      'Your free trial has ended. Choose a plan and the assistant answers your customers again.',
    );
    expect(await page.getByText('The assistant does not answer customers now').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Choose Starter' }).isVisible()).toBe(true);
    await checkPage(page, 'owner-billing-paused');

    const member = await addMember(s.h, paused, 'member');
    const memberPage = await logIn(await s.newContext(), member);
    await memberPage.getByLabel('Business', { exact: true }).selectOption(paused.businessId);
    await expect.poll(() => memberPage.getByTestId('billing-banner').innerText()).toContain('An owner of this business can fix this');
    expect(await memberPage.getByRole('link', { name: 'See plan and billing' }).count()).toBe(0);
    await openBilling(memberPage);
    expect(await memberPage.getByTestId('owner-only').isVisible()).toBe(true);
    expect(await memberPage.getByRole('navigation', { name: 'Settings' }).innerText()).not.toContain('Plan and billing');
    expect(await memberPage.getByRole('button', { name: /Choose|Manage payment/ }).count()).toBe(0);
    await checkPage(memberPage, 'member-billing');
  });

  it('after a downgrade, tells the owner what is over the plan (nothing was disconnected)', async () => {
    const downgraded = await ownerWithBilling('Downgraded Clinic', { status: 'active' });
    // Starter allows 2 seats: the owner and two members make 3.
    for (const n of [1, 2])
      await s.h.models.Membership.create({
        _id: `mem_${downgraded.businessId}_extra${n}`,
        userId: `usr_extra${n}_${downgraded.businessId}`,
        businessId: downgraded.businessId,
        role: 'member',
      });
    const page = await logIn(await s.newContext(), downgraded);
    await openBilling(page);
    expect(await page.getByTestId('billing-over-seats').innerText()).toBe(
      'This business uses 3 seats (members and pending invitations) and its plan includes 2. Nobody was removed, but no one else can be invited or join: remove 1 member under Team, or move to a larger plan.',
    );
    expect(await page.getByTestId('billing-over-channels').count()).toBe(0);
    await checkPage(page, 'owner-billing-over-limit');
  });

  it('fits a phone and is reachable by keyboard: Tab from the heading reaches the first plan button', async () => {
    const page = await logIn(await s.newContext(PHONE), owner);
    await openBilling(page);
    await expectNoSideScroll(page);
    await checkPage(page, 'phone-billing');

    const active = () => page.evaluate<string>('`${document.activeElement?.tagName} ${document.activeElement?.textContent}`');
    await expect.poll(active).toBe('H1 Plan and billing');
    let steps = 0;
    while ((await active()) !== 'BUTTON Choose Starter' && steps++ < 30) await page.keyboard.press('Tab');
    expect(await active()).toBe('BUTTON Choose Starter');
  });
});
