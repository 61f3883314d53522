import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Resend } from 'resend';
import { startFakeResend, type FakeResend } from '../../../sandbox/fakes/resend.js';

const lead = {
  from: 'LuxLeads <notifications@luxleads.local>',
  to: 'owner@villas.example',
  subject: 'New lead: Jane Doe',
  html: '<p>Jane wants a villa</p>',
  text: 'Jane wants a villa',
};

describe('fake Resend with the real resend v6 client', () => {
  let fake: FakeResend;
  let resend: Resend;

  beforeAll(async () => {
    fake = await startFakeResend({ apiKey: 're_test_key' });
    // The constructor option, not process.env, points the client at the fake.
    resend = new Resend('re_test_key', { baseUrl: fake.url });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends an email and records it', async () => {
    const { data, error } = await resend.emails.send({ ...lead, replyTo: 'jane@example.com', tags: [{ name: 'kind', value: 'lead' }] });
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.deliveredEmails()).toEqual([
      expect.objectContaining({
        id: data!.id,
        to: ['owner@villas.example'],
        subject: 'New lead: Jane Doe',
        replyTo: ['jane@example.com'],
        text: 'Jane wants a villa',
      }),
    ]);
    expect(fake.emailsTo('owner@villas.example')).toHaveLength(1);
    const call = fake.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: '/emails' });
    expect(call.headers.authorization).toBe('Bearer re_test_key');
  });

  it('honours Idempotency-Key: same key, same id, stored once', async () => {
    const first = await resend.emails.send(lead, { idempotencyKey: 'lead-42/owner-email' });
    const second = await resend.emails.send(lead, { idempotencyKey: 'lead-42/owner-email' });
    expect(second.data?.id).toBe(first.data?.id);
    expect(fake.deliveredEmails()).toHaveLength(1);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]!.headers['idempotency-key']).toBe('lead-42/owner-email');

    const conflicting = await resend.emails.send({ ...lead, subject: 'changed' }, { idempotencyKey: 'lead-42/owner-email' });
    expect(conflicting.error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    const otherKey = await resend.emails.send(lead, { idempotencyKey: 'lead-43/owner-email' });
    expect(otherKey.data?.id).not.toBe(first.data?.id);
    expect(fake.deliveredEmails()).toHaveLength(2);
  });

  it('validates required fields and the from format with 422', async () => {
    const noSubject = await resend.emails.send({ ...lead, subject: '' });
    expect(noSubject.error).toMatchObject({ statusCode: 422, name: 'missing_required_field' });
    const badFrom = await resend.emails.send({ ...lead, from: 'not an address' });
    expect(badFrom.error).toMatchObject({ statusCode: 422, name: 'invalid_from_address' });
    const noBody = await resend.emails.send({ from: lead.from, to: lead.to, subject: lead.subject, text: undefined as unknown as string });
    expect(noBody.error).toMatchObject({ statusCode: 422 });
    expect(fake.deliveredEmails()).toEqual([]);
  });

  it('rejects a wrong key', async () => {
    const wrong = new Resend('re_wrong', { baseUrl: fake.url });
    expect((await wrong.emails.send(lead)).error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
  });

  it('returns injected failures as error values (the client does not retry)', async () => {
    fake.failNext({ path: /^\/emails$/, status: 500 });
    fake.failNext({ path: /^\/emails$/, status: 429 });
    expect((await resend.emails.send(lead)).error).toMatchObject({ statusCode: 500 });
    expect((await resend.emails.send(lead)).error).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect((await resend.emails.send(lead)).error).toBeNull();
    expect(fake.calls).toHaveLength(3);
    expect(fake.deliveredEmails()).toHaveLength(1);
  });
});
