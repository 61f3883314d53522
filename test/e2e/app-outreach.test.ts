/**
 * The staff outreach page in a real browser: a campaign with its numbers and the pause button, a CSV import with
 * its rejected rows, suppressing a domain; a business owner without a staff role is kept out. axe-core runs on it.
 */
import type { BrowserContext } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUpVerified, type TestAccount } from '../helpers/accounts.js';
import { checkPage, startAppStack, type AppStack, logIn as logInAs } from '../helpers/app-stack.js';

let s: AppStack;
let staff: TestAccount;
let owner: TestAccount;

beforeAll(async () => {
  s = await startAppStack('app-outreach', { withResend: true, env: { COMPANY_ADDRESS: '1 Main Street, Luxembourg' } });
  staff = await signUpVerified(s.h, { name: 'Sol Staff', businessName: 'LuxLeads staff' });
  await s.h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'support' } });
  owner = await signUpVerified(s.h, { name: 'Olga Owner', businessName: 'A clinic' });
});
afterAll(async () => {
  await s?.stop();
});

const logIn = (context: BrowserContext, who: TestAccount) => logInAs(s, context, who);

describe('the outreach page', () => {
  it('shows staff the campaigns with their numbers, pauses one, imports a CSV with its rejected rows and suppresses a domain', async () => {
    const created = await request(s.h.app)
      .post('/api/v1/outreach/campaigns')
      .set(bearer(staff.accessToken))
      .send({ name: 'Dental spring', senderName: 'Sam', steps: [{ subject: 'Hi {{company}}', body: 'Hello', delayDays: 0 }] });
    expect(created.status).toBe(201);
    // Running with no prospects yet: nothing to send, but the page offers the pause.
    await s.h.models.OutreachCampaign.updateOne({ _id: created.body.id }, { $set: { status: 'running' } });

    const page = await logIn(await s.newContext(), staff);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outreach' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Outreach');
    const table = page.getByTestId('campaigns');
    await expect.poll(() => table.innerText()).toContain('Dental spring');
    await expect.poll(() => table.innerText()).toContain('sent 0');
    await checkPage(page, 'staff-outreach');

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => table.innerText()).toContain('paused');
    expect((await s.h.models.OutreachCampaign.findById(created.body.id).lean())?.status).toBe('paused');

    await page.getByLabel('CSV file').setInputFiles({
      name: 'prospects.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('company,email\nAcme,info@acme.example\nBroken,not-an-email\nAcme again,info@acme.example\n'),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByText('1 imported, 2 rejected.').count()).toBe(1);
    expect(await page.getByText('Line 3: not-an-email (bad_email)').count()).toBe(1);

    await page.getByLabel('Kind').selectOption('domain');
    await page.getByLabel('Address or domain').fill('blocked.example');
    await page.getByRole('button', { name: 'Suppress' }).click();
    await expect.poll(() => page.getByText('Suppressed; 0 running sequences stopped.').count()).toBe(1);
    expect(await s.h.models.OutreachSuppression.countDocuments({ kind: 'domain' })).toBe(1);
  });

  it('keeps a business owner without a staff role out', async () => {
    const page = await logIn(await s.newContext(), owner);
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).not.toContain('Outreach');
    await page.goto(`${s.origin}/app/outreach`);
    await expect.poll(() => page.getByText('This page is for LuxLeads staff.').count()).toBe(1);
  });
});
