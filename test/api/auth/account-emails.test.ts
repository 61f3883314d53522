/**
 * Account emails go out in the background (sendEmailWorkflow): sign-up mails a welcome once per user, every send is
 * in the send log without the address, and a Resend outage neither fails nor holds the request: the emails arrive
 * once Resend is back, exactly once each.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSendId } from '../../../domain/emails/send-log.js';
import { hashFor } from '../../../lib/keyed-hash.js';
import { sendEmailWorkflowId } from '../../../workflows/send-email.js';
import { signUp, TEST_PASSWORD, uniqueEmail } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('account-emails', { withResend: true });
});
afterAll(async () => {
  await h?.stop();
});

const kindOf = (e: { tags?: { name: string; value: string }[] }) => e.tags?.find((t) => t.name === 'kind')?.value;
const mailsTo = (to: string, kind: string) => h.resend!.emailsTo(to).filter((e) => kindOf(e) === kind);

describe('account emails', () => {
  it('welcomes a new owner once, with the business name and the app link, and logs the send without the address', async () => {
    const email = uniqueEmail('welcome');
    const acct = await signUp(h.app, { email, name: 'Ann <Lee>', businessName: 'Bright & Smile' });
    const [welcome] = await eventually(() => (mailsTo(email, 'welcome').length ? mailsTo(email, 'welcome') : undefined), {
      what: 'the welcome email',
    });
    expect(welcome?.subject).toBe('Welcome to LuxLeads');
    expect(welcome?.text).toContain('Bright & Smile');
    expect(welcome?.text).toContain(`${h.config.PUBLIC_URL.replace(/\/+$/, '')}/app`);
    expect(welcome?.html).toContain('Bright &amp; Smile');
    expect(welcome?.html).toContain('Ann &lt;Lee&gt;');
    expect(welcome?.idempotencyKey).toBe(`account:welcome:${acct.userId}`);

    // Signing up again with the address (a retried request) is refused and mails nothing more.
    const again = await request(h.app)
      .post('/api/v1/auth/signup')
      .send({ email, password: TEST_PASSWORD, name: 'Ann', businessName: 'Bright & Smile' });
    expect(again.status).toBe(409);
    const row = await eventually(() => h.models.EmailSend.findById(emailSendId(`account:welcome:${acct.userId}`)).lean(), {
      what: 'the send log row',
    });
    expect(row).toMatchObject({ template: 'welcome', status: 'sent', attempts: 1, providerMessageId: welcome!.id });
    const hash = hashFor(h.config.ENCRYPTION_KEY, 'email-recipient', email);
    expect(row?.recipientHashes).toEqual([`${hash.keyId}:${hash.hex}`]);
    expect(JSON.stringify(row)).not.toContain(email);
    expect(JSON.stringify(row)).not.toContain(email.split('@')[0]);
    expect(mailsTo(email, 'welcome')).toHaveLength(1);
  });

  it('answers sign-up at once while Resend is down; the welcome and the verification link arrive after it recovers, once each', async () => {
    const email = uniqueEmail('outage');
    h.resend!.failNext({ method: 'POST', path: /^\/emails$/, status: 503, times: 4 });
    const acct = await signUp(h.app, { email });
    expect(acct.userId).toMatch(/^usr_/);
    await eventually(() => mailsTo(email, 'welcome').length === 1 && mailsTo(email, 'verify_email').length === 1, {
      what: 'both emails after the outage',
      timeoutMs: 90_000,
    });
    const hash = hashFor(h.config.ENCRYPTION_KEY, 'email-recipient', email);
    // The log row is written just after Resend answers: wait for both.
    const mine = await eventually(
      async () => {
        const rows = await h.models.EmailSend.find({ recipientHashes: `${hash.keyId}:${hash.hex}` }).lean();
        return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      { what: 'both send log rows sent' },
    );
    expect(mine.map((r) => r.template).sort()).toEqual(['verify_email', 'welcome']);
    // Every failed attempt is on the log: four refusals, then one success per email.
    expect(mine.reduce((sum, r) => sum + r.attempts, 0)).toBe(6);
    // Each email is one workflow that completed, however many attempts it took.
    const welcome = await h.client.workflow.getHandle(sendEmailWorkflowId(`account:welcome:${acct.userId}`)).result();
    expect(welcome).toEqual({ status: 'sent' });
    expect(h.resend!.emailsTo(email)).toHaveLength(2);
  });
});
