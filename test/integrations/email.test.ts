import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSender, emailSenderFrom, type EmailError } from '../../integrations/email.js';
import { startFakeResend, type FakeResend } from '../../sandbox/fakes/resend.js';

/** A loopback port nothing listens on (connection refused). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const message = (key: string, subject = 'New lead: Sam') => ({
  to: ['owner@clinic.example'],
  subject,
  html: '<p>Sam</p>',
  text: 'Sam',
  idempotencyKey: key,
});

describe('email sender (real Resend client against the fake)', () => {
  let resend: FakeResend;
  const sender = () => createEmailSender({ apiKey: 're_test', baseUrl: resend.url, from: 'LuxLeads <notifications@luxleads.local>' });
  beforeAll(async () => {
    resend = await startFakeResend();
  });
  afterAll(async () => {
    await resend?.close();
  });

  it('sends html and text with the idempotency key, and the same key twice delivers once', async () => {
    const first = await sender().send(message('evt-1:email:owner@clinic.example'));
    const again = await sender().send(message('evt-1:email:owner@clinic.example'));
    expect(again.id).toBe(first.id);
    const delivered = resend.emailsTo('owner@clinic.example').filter((e) => e.idempotencyKey === 'evt-1:email:owner@clinic.example');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ html: '<p>Sam</p>', text: 'Sam', from: 'LuxLeads <notifications@luxleads.local>' });
  });

  it('classifies failures: 5xx and network retryable, reused key already sent, validation rejected', async () => {
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e as EmailError,
      );
    resend.failNext({ method: 'POST', status: 500 });
    expect((await fail(sender().send(message('evt-2'))))?.kind).toBe('retryable');
    await sender().send(message('evt-3'));
    expect((await fail(sender().send(message('evt-3', 'Changed subject'))))?.kind).toBe('already_sent');
    expect((await fail(sender().send({ ...message('evt-4'), to: ['not-an-address'] })))?.kind).toBe('rejected');
    const offline = createEmailSender({ apiKey: 're_test', baseUrl: `http://127.0.0.1:${await closedPort()}`, from: 'a@b.example' });
    expect((await fail(offline.send(message('evt-5'))))?.kind).toBe('retryable');
  });

  it('gives up on a Resend that does not answer within the timeout, as a retryable failure', async () => {
    resend.failNext({ method: 'POST', path: /^\/emails$/, status: 200, delayMs: 5_000 });
    const impatient = createEmailSender({ apiKey: 're_test', baseUrl: resend.url, from: 'a@b.example', timeoutMs: 200 });
    const started = Date.now();
    const err = await impatient.send(message('evt-hang')).then(
      () => undefined,
      (e: unknown) => e as EmailError,
    );
    expect(err?.kind).toBe('retryable');
    expect(err?.status).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends a text-only message (no html) with its key', async () => {
    const { id } = await sender().send({
      to: ['compliance@clinic.example'],
      subject: 'Reminder',
      text: 'Due soon',
      idempotencyKey: 'req-1:reminder',
    });
    const [stored] = resend.emailsTo('compliance@clinic.example');
    expect(stored).toMatchObject({ id, text: 'Due soon', idempotencyKey: 'req-1:reminder' });
    expect(stored?.html).toBeUndefined();
  });

  it('builds the sender from config, and none without RESEND_API_KEY', async () => {
    const config = {
      RESEND_BASE_URL: resend.url,
      RESEND_TIMEOUT_MS: 1_000,
      EMAIL_FROM: 'LuxLeads <notifications@luxleads.local>',
      COMPANY_NAME: 'LuxLeads AI Ltd',
      COMPANY_ADDRESS: '1 Example Street, London',
      PRIVACY_CONTACT_EMAIL: 'privacy@luxleads.example',
      PUBLIC_URL: 'https://app.luxleads.example',
    };
    expect(emailSenderFrom({ ...config, RESEND_API_KEY: undefined })).toBeUndefined();
    const fromConfig = emailSenderFrom({ ...config, RESEND_API_KEY: 're_test' })!;
    const { id } = await fromConfig.send({ to: ['config@clinic.example'], subject: 'Hi', text: 'Hi', idempotencyKey: 'config-1' });
    expect(resend.emailsTo('config@clinic.example')).toEqual([expect.objectContaining({ id, from: config.EMAIL_FROM })]);
  });

  it('ends every email with the company identity and the privacy policy link, in text and HTML', async () => {
    const fromConfig = emailSenderFrom({
      RESEND_API_KEY: 're_test',
      RESEND_BASE_URL: resend.url,
      RESEND_TIMEOUT_MS: 1_000,
      EMAIL_FROM: 'LuxLeads <notifications@luxleads.local>',
      COMPANY_NAME: 'LuxLeads AI Ltd',
      COMPANY_ADDRESS: '1 Example Street, London',
      PRIVACY_CONTACT_EMAIL: 'privacy@luxleads.example',
      PUBLIC_URL: 'https://app.luxleads.example/',
    })!;
    await fromConfig.send({ ...message('footer-html'), to: ['footer-html@clinic.example'] });
    await fromConfig.send({ to: ['footer-text@clinic.example'], subject: 'Text only', text: 'Due soon', idempotencyKey: 'footer-text' });
    const [withHtml] = resend.emailsTo('footer-html@clinic.example');
    const [textOnly] = resend.emailsTo('footer-text@clinic.example');
    for (const stored of [withHtml, textOnly]) {
      expect(stored?.text).toContain('LuxLeads AI Ltd, 1 Example Street, London');
      expect(stored?.text).toContain('Privacy policy: https://app.luxleads.example/privacy');
    }
    expect(withHtml?.text?.startsWith('Sam\n')).toBe(true);
    expect(withHtml?.html).toContain('<a href="https://app.luxleads.example/privacy"');
    expect(textOnly?.html).toBeUndefined();
  });
});
