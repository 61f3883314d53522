/**
 * Outreach with the real activities, MongoDB, the fake Resend and skipped time: what every email carries (on the
 * raw request Resend received), an opt-out and a suppression holding across campaigns, the check made before every
 * send, bounces and replies from signed Resend webhooks, and the rate cap under 1,000 concurrent reservations.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outreachWorkflowId } from '../../../domain/outreach/ids.js';
import { reserveSendSlot } from '../../../domain/outreach/send-slots.js';
import { suppress, suppressionOf } from '../../../domain/outreach/suppression.js';
import { newResendWebhookSecret, resendEmailEvent, resendInboundEvent, signResendWebhook } from '../../../sandbox/fakes/resend-webhooks.js';
import { outreachStateQuery } from '../../../workflows/outreach.js';
import { signUp, type TestAccount } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';

const ADDRESS = '12 Rue de la Gare, 1611 Luxembourg';
const SECRET = newResendWebhookSecret();
const THREE_STEPS = [
  { subject: 'Missed calls at {{company}}?', body: 'Hi {{contactName | there}},\n\nSee https://luxleads.example/demo', delayDays: 0 },
  { subject: 'Re: missed calls', body: 'Hi {{contactName | there}}, a follow-up.', delayDays: 3 },
  { subject: 'Last note', body: 'Hi {{contactName | there}}, the last one.', delayDays: 7 },
];

type RawEmail = { to: string[]; subject: string; text: string; html?: string; headers?: Record<string, string> };

describe('outreach campaigns end to end', () => {
  let h: Harness;
  let staff: TestAccount;
  const api = () => request(h.app);
  const rawEmailsTo = (address: string) =>
    h
      .resend!.callsTo('POST', /^\/emails$/)
      .map((c) => c.body as RawEmail)
      .filter((b) => b.to.includes(address));
  const addProspect = async (email: string, company: string, contactName?: string) => {
    const res = await api().post('/api/v1/outreach/prospects').set(staff.auth).send({ email, company, contactName, source: 'test' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const campaign = async (steps = THREE_STEPS) => {
    const res = await api().post('/api/v1/outreach/campaigns').set(staff.auth).send({ name: 'Test', senderName: 'Sam Sender', steps });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const enroll = async (campaignId: string, prospectIds: string[]) => {
    const res = await api().post(`/api/v1/outreach/campaigns/${campaignId}/enroll`).set(staff.auth).send({ prospectIds });
    expect(res.status).toBe(200);
    return res.body as { enrolled: number; suppressed: number };
  };
  const result = (campaignId: string, prospectId: string) =>
    h.client.workflow.getHandle(outreachWorkflowId(campaignId, prospectId)).result();
  const webhook = (body: string) => api().post('/webhooks/resend').set(signResendWebhook(SECRET, body)).send(body);

  beforeAll(async () => {
    h = await startHarness('outreach', {
      timeSkipping: true,
      withResend: true,
      env: { COMPANY_ADDRESS: ADDRESS, COMPANY_NAME: 'LuxLeads Test SARL', RESEND_WEBHOOK_SECRET: SECRET },
    });
    staff = await signUp(h.app, { businessName: 'LuxLeads staff' });
    await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'admin' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('every email names the sender, company and postal address and carries the opt-out link and both RFC 8058 headers; an opt-out stops the rest and holds in a new campaign', async () => {
    const alice = await addProspect('alice@acme.example', 'Acme Dental', 'Alice');
    const bob = await addProspect('bob@bobco.example', 'Bob & Co');
    const first = await campaign();
    expect(await enroll(first, [alice, bob])).toMatchObject({ enrolled: 2, suppressed: 0 });
    await eventually(() => rawEmailsTo('alice@acme.example').length === 1 && rawEmailsTo('bob@bobco.example').length === 1, {
      what: 'step one to both',
    });

    const [toAlice] = rawEmailsTo('alice@acme.example');
    expect(toAlice!.subject).toBe('Missed calls at Acme Dental?');
    expect(toAlice!.text).toContain('Hi Alice,');
    const optOutUrl = /^<(http[^>]+\/outreach\/opt-out\?t=[^>]+)>$/.exec(toAlice!.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(optOutUrl).toBeDefined();
    expect(toAlice!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    for (const part of [toAlice!.text, toAlice!.html!]) {
      expect(part).toContain('Sam Sender');
      expect(part).toContain('LuxLeads Test SARL');
      expect(part).toContain(ADDRESS);
      expect(part).toContain(optOutUrl!.replace(/&/g, part === toAlice!.html ? '&amp;' : '&'));
    }
    // Tracking is off by default: no pixel, links unchanged.
    expect(toAlice!.html).not.toContain('/outreach/t/');
    expect(toAlice!.text).toContain('https://luxleads.example/demo');

    // One click from the mail client: a POST with no cookie or login.
    const { pathname, search } = new URL(optOutUrl!);
    const optOut = await api().post(`${pathname}${search}`).type('form').send('List-Unsubscribe=One-Click');
    expect(optOut.status).toBe(200);
    expect(optOut.headers['set-cookie']).toBeUndefined();
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, 'alice@acme.example')).toBe('email');
    expect(await result(first, alice)).toEqual({ outcome: 'stopped', reason: 'opted-out', stepsSent: 1 });

    await h.testEnv!.sleep('11 days');
    expect(await result(first, bob)).toEqual({ outcome: 'completed', stepsSent: 3 });
    expect(rawEmailsTo('bob@bobco.example').map((e) => e.subject)).toEqual(['Missed calls at Bob & Co?', 'Re: missed calls', 'Last note']);
    expect(rawEmailsTo('alice@acme.example')).toHaveLength(1);
    for (const e of rawEmailsTo('bob@bobco.example')) {
      expect(e.text).toContain(ADDRESS);
      expect(e.headers?.['List-Unsubscribe']).toMatch(/^<http.*\/outreach\/opt-out\?t=/);
      expect(e.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    }

    // A new campaign: the opted-out address is not even enrolled, and is never written to.
    const second = await campaign();
    expect(await enroll(second, [alice, bob])).toMatchObject({ enrolled: 1, suppressed: 1 });
    await eventually(() => rawEmailsTo('bob@bobco.example').length === 4, { what: 'second campaign step one to bob' });

    // The check before every send: a domain suppressed behind the workflow's back (no signal) still stops step two.
    await suppress(h.models, h.config.ENCRYPTION_KEY, { kind: 'domain', value: 'bobco.example', reason: 'staff' });
    await h.testEnv!.sleep('4 days');
    expect(await result(second, bob)).toEqual({ outcome: 'stopped', reason: 'suppressed', stepsSent: 1 });
    expect(rawEmailsTo('bob@bobco.example')).toHaveLength(4);
    expect(rawEmailsTo('alice@acme.example')).toHaveLength(1);
  });

  it('a signed bounce suppresses the address and a signed inbound reply stops the sequence; stats count both', async () => {
    const carol = await addProspect('carol@carol.example', 'Carol Ltd');
    const dave = await addProspect('dave@dave.example', 'Dave GmbH');
    const id = await campaign();
    await enroll(id, [carol, dave]);
    await eventually(() => rawEmailsTo('carol@carol.example').length === 1 && rawEmailsTo('dave@dave.example').length === 1, {
      what: 'step one',
    });
    const sentToCarol = h.resend!.emailsTo('carol@carol.example')[0]!;

    // A forged event is refused before anything is recorded.
    const forged = resendEmailEvent('email.bounced', sentToCarol.id, ['carol@carol.example']);
    const refused = await api()
      .post('/webhooks/resend')
      .set({ ...signResendWebhook(newResendWebhookSecret(), forged) })
      .send(forged);
    expect(refused.status).toBe(400);
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, 'carol@carol.example')).toBeUndefined();

    const bounce = resendEmailEvent('email.bounced', sentToCarol.id, ['carol@carol.example'], {
      bounce: { message: 'mailbox does not exist', subType: 'General', type: 'Permanent' },
    });
    const accepted = await webhook(bounce);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect((await webhook(bounce)).status).toBe(200); // a redelivery changes nothing
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, 'carol@carol.example')).toBe('email');
    expect(await result(id, carol)).toEqual({ outcome: 'stopped', reason: 'bounced', stepsSent: 1 });

    expect((await webhook(resendInboundEvent('Dave <Dave@dave.example>', ['sales@luxleads.local']))).status).toBe(200);
    expect(await result(id, dave)).toEqual({ outcome: 'stopped', reason: 'replied', stepsSent: 1 });
    expect(await suppressionOf(h.models, h.config.ENCRYPTION_KEY, 'dave@dave.example')).toBeUndefined();

    const stats = await api().get(`/api/v1/outreach/campaigns/${id}/stats`).set(staff.auth);
    expect(stats.status).toBe(200);
    expect(stats.body.total).toMatchObject({ sent: 2, bounced: 1, replied: 1, optedOut: 0 });
    expect(stats.body.stopReasons).toEqual({ bounced: 1, replied: 1 });
  });

  it('a paused campaign holds its sequences until resumed', async () => {
    const erin = await addProspect('erin@erin.example', 'Erin Co');
    const id = await campaign([THREE_STEPS[0]!, THREE_STEPS[1]!]);
    await enroll(id, [erin]);
    await eventually(() => rawEmailsTo('erin@erin.example').length === 1, { what: 'step one' });
    expect((await api().post(`/api/v1/outreach/campaigns/${id}/pause`).set(staff.auth)).body).toEqual({ status: 'paused', signalled: 1 });
    const handle = h.client.workflow.getHandle(outreachWorkflowId(id, erin));
    await h.testEnv!.sleep('4 days');
    await eventually(async () => (await handle.query(outreachStateQuery)).waitingFor === 'resume', { what: 'waiting for resume' });
    expect(rawEmailsTo('erin@erin.example')).toHaveLength(1);
    expect((await api().post(`/api/v1/outreach/campaigns/${id}/resume`).set(staff.auth)).body).toEqual({ status: 'running', signalled: 1 });
    expect(await handle.result()).toEqual({ outcome: 'completed', stepsSent: 2 });
    expect(rawEmailsTo('erin@erin.example')).toHaveLength(2);
  });

  it('the rate cap holds under 1,000 concurrent reservations: never more than the per-minute rate or the daily cap', async () => {
    const campaignId = 'cmp_ratecap';
    const base = Date.UTC(2026, 11, 3, 10, 0, 0);
    const minutes = 5;
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        reserveSendSlot(h.models, { campaignId, dailyCap: 35, perMinute: 10, atMs: base + (i % minutes) * 60_000 + 1_000 }).then((a) => ({
          minute: i % minutes,
          a,
        })),
      ),
    );
    const reserved = answers.filter((x) => x.a.kind === 'reserved');
    // Never more than the cap; a caller that loses a race is told to come back rather than let through.
    expect(reserved.length).toBeLessThanOrEqual(35);
    expect(reserved.length).toBeGreaterThanOrEqual(10);
    const perMinute = Array.from({ length: minutes }, (_, m) => reserved.filter((x) => x.minute === m).length);
    for (const n of perMinute) expect(n).toBeLessThanOrEqual(10);
    // The slots themselves: one per reservation in the day bucket, at most 10 in each minute's.
    const slots = await h.models.OutreachSendSlot.find({ bucket: { $regex: `^${campaignId}:` } }).lean();
    expect(slots.filter((s) => s.bucket.includes(':d:'))).toHaveLength(reserved.length);
    const minuteBuckets = new Map<string, number>();
    for (const s of slots.filter((x) => x.bucket.includes(':m:'))) minuteBuckets.set(s.bucket, (minuteBuckets.get(s.bucket) ?? 0) + 1);
    for (const n of minuteBuckets.values()) expect(n).toBeLessThanOrEqual(10);
    // Everyone refused is told when to come back: the next minute, or the next day once the daily cap is reached.
    for (const x of answers.filter((y) => y.a.kind === 'wait')) expect((x.a as { untilMs: number }).untilMs).toBeGreaterThan(base);
  }, 240_000);
});
