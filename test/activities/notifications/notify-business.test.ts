import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities } from '../../../activities/notifications/notify-business.js';
import { recordLeadEvent } from '../../../domain/leads.js';
import { notifyDepsFrom } from '../../../worker/build-deps.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';
import {
  createNotifiedBusiness,
  customerSays,
  emailsTo,
  keyOf,
  repliesStored,
  settledNotifications,
  whatsAppTo,
} from '../../helpers/notification-fixtures.js';

const templateOf = (h: Harness, number: string) => whatsAppTo(h, number).map((m) => m.template!);

describe('notifyBusiness through the ConversationWorkflow (fake WhatsApp and Resend, real clients)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('notifications', { withResend: true, withWhatsApp: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends one template per working number and one email for a new lead, parameters in template order', async () => {
    const b = await createNotifiedBusiness(h, { numbers: 2 });
    await customerSays(h, b, 'sess-new', "Hi, I'm Sam Taylor, I'd like a check-up\n\nthis week please, email sam.taylor@example.com");
    await repliesStored(h, b, 'sess-new', 1);
    await settledNotifications(h, b.id, 3);
    for (const number of b.numbers) {
      const templates = templateOf(h, number);
      expect(templates).toHaveLength(1);
      const [business, name, channel, summary, urgency, link] = templates[0]!.parameters;
      expect(templates[0]!.name).toBe('new_lead_alert');
      expect([business, name, channel, urgency]).toEqual([b.name, 'Sam Taylor', 'Website chat', 'normal']);
      expect(summary).toMatch(/^New lead: /);
      expect(summary).not.toMatch(/[\n\t]| {5,}/);
      expect(summary!.length).toBeLessThanOrEqual(200);
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/app\/leads\/lead_[0-9a-f]{24}$/);
    }
    const emails = emailsTo(h, b.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('New lead: Sam Taylor (Website chat)');
    expect(emails[0]!.text).toContain('Sam Taylor');
    expect(emails[0]!.html).toContain('<table>');
    expect(emails[0]!.idempotencyKey).toMatch(/^lead_created:lead_[0-9a-f]{24}:email:owner@/);
  });

  it('sends exactly one "new lead" and one "urgent" notification for a lead created, enriched three times, then urgent', async () => {
    const b = await createNotifiedBusiness(h);
    const turns = [
      "Hi, I'm Sam Taylor",
      "I'd like a check-up",
      'My number is 07700 900123',
      'and my email is sam.taylor@example.com',
      'Actually I need an appointment today, it is really urgent',
    ];
    for (const [i, text] of turns.entries()) {
      await customerSays(h, b, 'sess-enrich', text);
      await repliesStored(h, b, 'sess-enrich', i + 1);
    }
    const rows = await settledNotifications(h, b.id, 4);
    const lead = await h.models.Lead.findOne({ businessId: b.id }).lean();
    expect(lead).toMatchObject({ name: 'Sam Taylor', phone: '+447700900123', email: 'sam.taylor@example.com', urgency: 'high' });
    expect(rows.map((r) => `${r.kind}/${r.channel}/${r.status}`).sort()).toEqual([
      'lead_created/email/sent',
      'lead_created/whatsapp/sent',
      'lead_urgent/email/sent',
      'lead_urgent/whatsapp/sent',
    ]);
    expect(templateOf(h, b.numbers[0]!).map((t) => t.parameters[3]!.split(':')[0])).toEqual(['New lead', 'URGENT lead']);
    expect(emailsTo(h, b.email).map((e) => e.subject)).toEqual(['New lead: Sam Taylor (Website chat)', 'URGENT lead: Sam Taylor (high)']);
  });

  it('alerts nobody for a website lead without a phone or email, then exactly once when the visitor leaves one', async () => {
    const b = await createNotifiedBusiness(h);
    const nothingSent = () => {
      expect(whatsAppTo(h, b.numbers[0]!)).toHaveLength(0);
      expect(emailsTo(h, b.email)).toHaveLength(0);
    };
    await customerSays(h, b, 'sess-anon', 'Hello');
    await repliesStored(h, b, 'sess-anon', 1);
    const lead = await eventually(() => h.models.Lead.findOne({ businessId: b.id }).lean(), { what: 'the empty lead' });
    const eventId = `lead_created:${lead._id}`;
    await eventually(async () => (await h.models.LeadEvent.findById(eventId).lean())?.awaitingContactAt, { what: 'alert held back' });
    await customerSays(h, b, 'sess-anon', "I'm Nia, do you do whitening?"); // a name is not a way to reach anyone
    await repliesStored(h, b, 'sess-anon', 2);
    nothingSent();
    expect(await h.models.Notification.countDocuments({ businessId: b.id })).toBe(0);
    expect((await h.models.LeadEvent.findById(eventId).lean())?.notifiedAt).toBeUndefined();

    await customerSays(h, b, 'sess-anon', 'You can reach me on 07700 900456');
    const rows = await settledNotifications(h, b.id, 2);
    expect(rows.map((r) => `${r.kind}/${r.channel}/${r.status}`).sort()).toEqual(['lead_created/email/sent', 'lead_created/whatsapp/sent']);
    expect(emailsTo(h, b.email).map((e) => e.subject)).toEqual(['New lead: Nia (Website chat)']);
    // Marked once both sends are recorded: a moment after the rows above settle.
    await eventually(async () => (await h.models.LeadEvent.findById(eventId).lean())?.notifiedAt, { what: 'the event marked notified' });
    expect((await h.models.LeadEvent.findById(eventId).lean())?.awaitingContactAt).toBeUndefined();

    await customerSays(h, b, 'sess-anon', 'Thanks, talk soon');
    await repliesStored(h, b, 'sess-anon', 4);
    expect(whatsAppTo(h, b.numbers[0]!)).toHaveLength(1);
    expect(emailsTo(h, b.email)).toHaveLength(1);
  });

  it('holds back an urgent website lead without a phone or email, then sends its new-lead and urgent alerts once', async () => {
    const b = await createNotifiedBusiness(h);
    await customerSays(h, b, 'sess-urgent-anon', 'I need an appointment today, it is really urgent');
    await repliesStored(h, b, 'sess-urgent-anon', 1);
    const lead = await eventually(() => h.models.Lead.findOne({ businessId: b.id }).lean(), { what: 'the urgent lead' });
    expect(lead.urgency).toBe('high');
    // Both alerts wait for a way to reach the visitor; the next message looks for both again (possibleLeadEventKeys).
    for (const kind of ['lead_created', 'lead_urgent'])
      await eventually(async () => (await h.models.LeadEvent.findById(`${kind}:${lead._id}`).lean())?.awaitingContactAt, {
        what: `${kind} held back`,
      });
    await customerSays(h, b, 'sess-urgent-anon', 'You can reach me on 07700 900789');
    const rows = await settledNotifications(h, b.id, 4);
    expect(rows.map((r) => `${r.kind}/${r.channel}/${r.status}`).sort()).toEqual([
      'lead_created/email/sent',
      'lead_created/whatsapp/sent',
      'lead_urgent/email/sent',
      'lead_urgent/whatsapp/sent',
    ]);
  });

  it('retries a 500 from WhatsApp and from Resend and still sends exactly one of each', async () => {
    const b = await createNotifiedBusiness(h);
    h.graph.failNext({ method: 'POST', path: /\/messages$/, status: 500, times: 1 });
    h.resend!.failNext({ method: 'POST', path: /^\/emails$/, status: 500, times: 1 });
    await customerSays(h, b, 'sess-retry', 'Do you do whitening? My number is 07700 900123');
    const rows = await settledNotifications(h, b.id, 2);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual(
      expect.arrayContaining([
        ['whatsapp', 'sent', 2],
        ['email', 'sent', 2],
      ]),
    );
    // Retries are over once the conversation has settled: still one of each.
    await eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(keyOf(b, 'sess-retry'))), { what: 'conversation settled' });
    expect(whatsAppTo(h, b.numbers[0]!)).toHaveLength(1);
    expect(emailsTo(h, b.email)).toHaveLength(1);
  });

  it('marks an undeliverable number failing, emails the owner once, and stops using the number', async () => {
    const b = await createNotifiedBusiness(h, { numbers: 2 });
    const [bad, good] = b.numbers as [string, string];
    h.graph.markNumberInvalid(bad);
    await customerSays(h, b, 'sess-invalid', "Hi, I'm Priya, can I book a hygienist clean? priya@example.com");
    await settledNotifications(h, b.id, 4);
    const business = await h.models.Business.findById(b.id).lean();
    expect(business!.notifyWhatsapp).toEqual([
      { number: bad, status: 'failing', lastError: expect.stringMatching(/^131026: /) },
      { number: good, status: 'ok' },
    ]);
    expect(whatsAppTo(h, good)).toHaveLength(1);
    const alerts = () => emailsTo(h, b.email).filter((e) => e.subject.startsWith('WhatsApp alerts are not reaching'));
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.text).toContain('131026');

    // The next event for this business neither tries the failing number nor mails the warning again.
    const before = h.graph.calls.length;
    await customerSays(h, b, 'sess-invalid-2', "It's an emergency, my tooth is bleeding badly, call me on 07700 900789");
    await eventually(
      async () =>
        (await h.models.Notification.countDocuments({ businessId: b.id, kind: 'lead_urgent', channel: 'email', status: 'sent' })) === 1,
      { what: 'urgent email' },
    );
    expect(h.graph.calls.slice(before).filter((c) => (c.body as { to?: string })?.to === bad)).toHaveLength(0);
    expect(alerts()).toHaveLength(1);
  });

  it('fails a template mismatch without retrying, still emails, and the conversation keeps going', async () => {
    const b = await createNotifiedBusiness(h);
    h.graph.setTemplate({ name: 'new_lead_alert', language: 'en_US', paramCount: 5 });
    try {
      await customerSays(h, b, 'sess-mismatch', 'Hello, how much is a check-up? Email me at ask@example.com');
      const rows = await settledNotifications(h, b.id, 2);
      expect(rows.find((r) => r.channel === 'whatsapp')).toMatchObject({
        status: 'failed',
        reason: 'template_mismatch',
        errorCode: 132000,
        attempts: 1,
      });
      expect(emailsTo(h, b.email)).toHaveLength(1);

      const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(keyOf(b, 'sess-mismatch')));
      // The rows settle before the activity throws: wait for its failure to reach the history.
      const failures = await eventually(
        async () => {
          const history = await handle.fetchHistory();
          const found = (history.events ?? [])
            .map((e) => e.activityTaskFailedEventAttributes?.failure)
            .filter((f) => f?.applicationFailureInfo?.type === 'TemplateMismatch');
          return found.length > 0 && found;
        },
        { what: 'the TemplateMismatch failure in the history' },
      );
      expect(failures).toHaveLength(1);
      expect(failures[0]!.applicationFailureInfo!.nonRetryable).toBe(true);

      await customerSays(h, b, 'sess-mismatch', 'And do you have parking?');
      await repliesStored(h, b, 'sess-mismatch', 2);
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      h.graph.setTemplate({ name: 'new_lead_alert', language: 'en_US', paramCount: 6 });
    }
  });

  it('after a crash mid-send, never repeats a WhatsApp message (uncertain) and resends the email under the same key', async () => {
    const b = await createNotifiedBusiness(h);
    await h.models.Lead.create({
      _id: 'lead_crash',
      businessId: b.id,
      channel: 'messenger',
      name: 'Ola',
      contactKeys: ['messenger:psid-ola'],
    });
    await recordLeadEvent(h.models, {
      businessId: b.id,
      leadId: 'lead_crash',
      conversationId: 'c2',
      kind: 'lead_created',
      key: 'lead_created:lead_crash',
    });
    const activities = createNotificationActivities(h.activityDeps);
    const input = { conversationId: 'c2', businessId: b.id, leadId: 'lead_crash', eventId: 'lead_created:lead_crash' };
    expect(await activities.notifyBusiness(input)).toEqual({ notified: true, sent: 2 });

    // As if the worker died after both providers accepted, before anything was recorded.
    await h.models.Notification.updateMany({ businessId: b.id }, { $set: { status: 'sending' } });
    await h.models.LeadEvent.updateOne({ _id: input.eventId }, { $unset: { notifiedAt: 1 } });
    expect(await activities.notifyBusiness(input)).toEqual({ notified: true, sent: 1 });

    expect(whatsAppTo(h, b.numbers[0]!)).toHaveLength(1);
    expect(emailsTo(h, b.email)).toHaveLength(1);
    const rows = await h.models.Notification.find({ businessId: b.id }).lean();
    expect(rows.map((r) => [r.channel, r.status, r.attempts]).sort()).toEqual([
      ['email', 'sent', 2],
      ['whatsapp', 'uncertain', 1],
    ]);
  });

  it('records notifications as skipped when WhatsApp and email are not configured, without failing', async () => {
    const b = await createNotifiedBusiness(h);
    await h.models.Lead.create({
      _id: 'lead_disabled_integrations',
      businessId: b.id,
      channel: 'web',
      name: 'Ana',
      email: 'ana@example.com',
    });
    await recordLeadEvent(h.models, {
      businessId: b.id,
      leadId: 'lead_disabled_integrations',
      conversationId: 'c1',
      kind: 'lead_created',
      key: 'lead_created:lead_disabled_integrations',
    });
    const unconfigured = { ...h.config, RESEND_API_KEY: undefined, WHATSAPP_PHONE_NUMBER_ID: undefined, WHATSAPP_ACCESS_TOKEN: undefined };
    const activities = createNotificationActivities({ ...h.activityDeps, notify: notifyDepsFrom(unconfigured) });
    const input = {
      conversationId: 'c1',
      businessId: b.id,
      leadId: 'lead_disabled_integrations',
      eventId: 'lead_created:lead_disabled_integrations',
    };
    expect(await activities.notifyBusiness(input)).toEqual({ notified: true, sent: 0 });
    expect(await activities.notifyBusiness(input)).toEqual({ notified: false, why: 'already-notified' });
    const rows = await h.models.Notification.find({ businessId: b.id }).lean();
    expect(rows.map((r) => [r.channel, r.status, r.reason])).toEqual(
      expect.arrayContaining([
        ['whatsapp', 'skipped', 'integration disabled'],
        ['email', 'skipped', 'integration disabled'],
      ]),
    );
  });
});
