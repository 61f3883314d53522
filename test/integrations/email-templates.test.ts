/**
 * Every email template (domain/emails), with and without its optional fields, sent through the one send path with
 * the real `resend` client to the fake Resend: both parts present, customer text escaped in the HTML, and the
 * company footer with the privacy link in both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountEmail,
  BILLING_EMAIL_KINDS,
  billingEmail,
  businessAlertEmail,
  deletionConfirmationEmail,
  digestEmail,
  leadEventEmail,
  NOTIFIED_KINDS,
  numberFailingEmail,
  privacyReminderEmail,
  webhookDisabledEmail,
  windowReminderEmail,
  type LeadFacts,
  type RenderedEmail,
} from '../../domain/emails/index.js';
import { emailSenderFrom, type EmailSender } from '../../integrations/email.js';
import { startFakeResend, type FakeResend } from '../../sandbox/fakes/resend.js';

const EVIL = '<script>alert("x")</script> & Co';
const URL_BASE = 'https://app.luxleads.example';

const fullLead: LeadFacts = {
  leadId: 'lead_1',
  name: `Sam ${EVIL}`,
  channel: 'Instagram',
  summary: `Check-up ${EVIL}`,
  urgency: 'emergency',
  specialist: 'orthodontist',
  phone: '+447700900123',
  email: 'sam@example.com',
  link: `${URL_BASE}/app/leads/lead_1?a=1&b=2`,
};
const bareLead: LeadFacts = {
  leadId: 'lead_2',
  name: 'New customer',
  channel: 'Messenger',
  summary: '-',
  urgency: 'normal',
  specialist: 'none',
  link: `${URL_BASE}/app/leads/lead_2`,
};
const billingFacts = { businessName: `Bright ${EVIL}`, planName: 'Growth', billingUrl: `${URL_BASE}/app/billing` };

/** [case name, rendered email, whether it carries customer-controlled text to check the escaping of]. */
const CASES: [string, RenderedEmail, boolean][] = [
  [
    'welcome with name',
    accountEmail({ kind: 'welcome', to: 'a@example.com', userId: 'usr_1', name: `Ann ${EVIL}`, businessName: `Clinic ${EVIL}` }, URL_BASE),
    true,
  ],
  [
    'welcome without name',
    accountEmail({ kind: 'welcome', to: 'a@example.com', userId: 'usr_1', businessName: 'Clinic' }, URL_BASE),
    false,
  ],
  [
    'verify with name',
    accountEmail({ kind: 'verify_email', to: 'a@example.com', token: 'lv_abc', tokenId: 't1', name: `Ann ${EVIL}` }, URL_BASE),
    true,
  ],
  ['verify without name', accountEmail({ kind: 'verify_email', to: 'a@example.com', token: 'lv_abc', tokenId: 't1' }, URL_BASE), false],
  ['password reset', accountEmail({ kind: 'password_reset', to: 'a@example.com', token: 'lp_abc', tokenId: 't2' }, URL_BASE), false],
  [
    'invite as owner',
    accountEmail(
      { kind: 'invite', to: 'a@example.com', token: 'li_abc', tokenId: 't3', businessName: `Clinic ${EVIL}`, role: 'owner' },
      URL_BASE,
    ),
    true,
  ],
  [
    'invite as member',
    accountEmail({ kind: 'invite', to: 'a@example.com', token: 'li_abc', tokenId: 't3', businessName: 'Clinic', role: 'member' }, URL_BASE),
    false,
  ],
  ...BILLING_EMAIL_KINDS.flatMap((kind): [string, RenderedEmail, boolean][] => [
    [
      `billing ${kind} with date and usage`,
      billingEmail(kind, { ...billingFacts, date: '2026-12-17T00:00:00.000Z', used: 80, limit: 100 }),
      true,
    ],
    [
      `billing ${kind} without`,
      billingEmail(kind, { businessName: 'Bright', planName: 'Growth', billingUrl: `${URL_BASE}/app/billing` }),
      false,
    ],
  ]),
  ...NOTIFIED_KINDS.flatMap((kind): [string, RenderedEmail, boolean][] => [
    [`lead ${kind} with every fact`, leadEventEmail(kind, `Bright ${EVIL}`, fullLead), true],
    [`lead ${kind} bare`, leadEventEmail(kind, 'Bright', bareLead), false],
  ]),
  ['digest listing all', digestEmail(`Bright ${EVIL}`, '2026-12-03', [fullLead], 1), true],
  ['digest with more in the dashboard', digestEmail('Bright', '2026-12-03', [bareLead], 7), false],
  ['window reminder', windowReminderEmail(fullLead, { waiting: `Sam ${EVIL} is waiting`, humanAgent: 'After that…' }), true],
  ['window reminder bare', windowReminderEmail(bareLead, { waiting: 'waiting', humanAgent: 'After that…' }), false],
  ['webhook disabled', webhookDisabledEmail(`Bright ${EVIL}`, 'https://crm.example/hook?a=1&b=2', 'HTTP 500 for 24 hours'), true],
  ['number failing', numberFailingEmail(`Bright ${EVIL}`, '+447700900123', '131026: not on WhatsApp'), true],
  ['business alert known kind', businessAlertEmail('Bright', { kind: 'channel_needs_reconnect', message: `Reconnect ${EVIL}` }), true],
  ['business alert unknown kind', businessAlertEmail('Bright', { kind: 'something_new', message: 'Look' }), false],
  [
    'deletion confirmation',
    deletionConfirmationEmail({ email: `x${EVIL}@example.com`, link: `${URL_BASE}/data-deletion/verify?token=abc` }),
    true,
  ],
  [
    'privacy reminder on a step',
    privacyReminderEmail({
      requestId: 'req_1',
      kind: 'deletion',
      receivedAt: 0,
      dueAt: 86_400_000,
      currentStep: 'erase_leads',
      statusUrl: `${URL_BASE}/data-deletion/req_1`,
    }),
    false,
  ],
  [
    'privacy reminder starting',
    privacyReminderEmail({
      requestId: 'req_2',
      kind: 'access',
      receivedAt: 0,
      dueAt: 86_400_000,
      statusUrl: `${URL_BASE}/data-deletion/req_2`,
    }),
    false,
  ],
];

describe('email templates through the one send path', () => {
  let resend: FakeResend;
  let sender: EmailSender;
  beforeAll(async () => {
    resend = await startFakeResend();
    sender = emailSenderFrom({
      RESEND_API_KEY: 're_test',
      RESEND_BASE_URL: resend.url,
      RESEND_TIMEOUT_MS: 5_000,
      EMAIL_FROM: 'LuxLeads <notifications@luxleads.local>',
      COMPANY_NAME: 'LuxLeads AI Ltd',
      COMPANY_ADDRESS: '1 Example Street, London',
      PRIVACY_CONTACT_EMAIL: 'privacy@luxleads.example',
      PUBLIC_URL: URL_BASE,
    })!;
  });
  afterAll(async () => {
    await resend?.close();
  });

  it('names every template', () => {
    const names = new Set(CASES.map(([, e]) => e.template));
    expect(names).toEqual(
      new Set([
        'welcome',
        'verify_email',
        'password_reset',
        'invite',
        ...BILLING_EMAIL_KINDS.map((k) => `billing_${k}`),
        ...NOTIFIED_KINDS,
        'digest',
        'window_reminder',
        'webhook_disabled',
        'number_failing',
        'business_alert',
        'deletion_confirmation',
        'privacy_reminder',
      ]),
    );
  });

  it.each(CASES)('%s: subject, text and escaped HTML, with the footer in both parts', async (name, email, hasCustomerText) => {
    const to = `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}@clinic.example`;
    await sender.send({ ...email, to: [to], idempotencyKey: `template-test:${name}` });
    const [stored] = resend.emailsTo(to);
    expect(stored?.subject).toBe(email.subject);
    expect(stored?.subject.length).toBeGreaterThan(0);
    expect(stored?.text).toContain(email.text.trimEnd());
    expect(stored?.html).toContain(email.html);
    // Values never break out of the markup: no raw tag, no bare ampersand from customer text, and no "undefined".
    expect(stored?.html).not.toMatch(/<script|&(?![a-z]+;|#\d+;)/);
    expect(`${stored?.text}${stored?.html}`).not.toMatch(/undefined|null|NaN/);
    if (hasCustomerText) {
      expect(stored?.html).toContain('&lt;script&gt;');
      expect(stored?.text).toContain('<script>');
    }
    expect(stored?.text).toContain('LuxLeads AI Ltd, 1 Example Street, London');
    expect(stored?.text).toContain(`Privacy policy: ${URL_BASE}/privacy`);
    expect(stored?.html).toContain(`<a href="${URL_BASE}/privacy"`);
    expect(stored?.html).toContain('LuxLeads AI Ltd, 1 Example Street, London');
  });

  it('puts each link in both parts, the URL escaped in the HTML', () => {
    const email = leadEventEmail('lead_created', 'Bright', fullLead);
    expect(email.text).toContain(`Open the lead in LuxLeads: ${fullLead.link}`);
    expect(email.html).toContain(`href="${URL_BASE}/app/leads/lead_1?a=1&amp;b=2"`);
    const verify = accountEmail({ kind: 'verify_email', to: 'a@example.com', token: 'lv_a/b', tokenId: 't1' }, `${URL_BASE}/`);
    expect(verify.text).toContain(`${URL_BASE}/verify-email?token=lv_a%2Fb`);
    expect(verify.text.startsWith('Hi,\n')).toBe(true);
  });
});
