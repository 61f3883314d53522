import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadWebhookEventType } from '../../../db/models/lead-webhook.js';
import { encryptString } from '../../../lib/crypto.js';
import { verifyWebhook } from '../../../lib/webhook-signature.js';
import { leadWebhookSettingsFrom, startLeadWebhookDeliveries } from '../../../starters/notification-workflows.js';
import { type leadWebhookDeliveryWorkflow, leadWebhookDeliveryWorkflowId } from '../../../workflows/lead-webhook-delivery.js';
import { eventually, startHarness, workflowExists, type Harness } from '../../helpers/harness.js';
import {
  createNotifiedBusiness,
  customerSays,
  emailsTo,
  keyOf,
  repliesStored,
  type TestBusiness,
} from '../../helpers/notification-fixtures.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { leadWebhookSecretContext } from '../../../domain/encryption-contexts.js';

const addEndpoint = async (h: Harness, b: TestBusiness, id: string, url: string, events?: LeadWebhookEventType[]) => {
  const secret = `whsec_test_${id}`;
  await h.models.LeadWebhook.create({
    _id: id,
    businessId: b.id,
    url,
    secretSealed: encryptString(h.config.ENCRYPTION_KEY, secret, leadWebhookSecretContext(id)),
    ...(events ? { events } : {}),
  });
  return secret;
};

const leadOf = (h: Harness, businessId: string, name: string) =>
  eventually(() => h.models.Lead.findOne({ businessId, name }).lean(), { what: `lead ${name}` });

describe('leadWebhookDeliveryWorkflow', () => {
  let h: Harness;
  let flaky: WebhookReceiver;
  let dead: WebhookReceiver;
  beforeAll(async () => {
    h = await startHarness('lead-webhooks', {
      withResend: true,
      env: { LEAD_WEBHOOK_INITIAL_RETRY_MS: '100', LEAD_WEBHOOK_GIVE_UP_AFTER_MS: '2500', LEAD_WEBHOOK_DISABLE_AFTER_FAILURES: '3' },
    });
    [flaky, dead] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([flaky?.close(), dead?.close()]);
  });

  it('delivers lead.created once after two failures, signed, with every attempt logged', async () => {
    const b = await createNotifiedBusiness(h, { numbers: 0 });
    const secret = await addEndpoint(h, b, 'lwh_flaky', flaky.url);
    await addEndpoint(h, b, 'lwh_status_only', flaky.url, ['lead.status_changed']);
    flaky.respondWith([500, 500]);
    await customerSays(h, b, 'sess-crm', "Hi, I'm Sam Taylor, 07700 900123, I'd like a check-up");
    const lead = await leadOf(h, b.id, 'Sam Taylor');
    const eventId = `lead_created:${lead._id}`;

    const handle = h.client.workflow.getHandle<typeof leadWebhookDeliveryWorkflow>(leadWebhookDeliveryWorkflowId('lwh_flaky', eventId));
    expect(await eventually(() => handle.result().catch(() => undefined), { what: 'delivery result' })).toEqual({
      status: 'delivered',
      attempts: 3,
    });
    // The conversation that saw the lead started the delivery as its child; starting it again for the same event (the
    // dashboard's starter, a redelivered event) finds it and starts nothing.
    expect((await handle.describe()).parentExecution?.workflowId).toBe(h.dispatcher.workflowIdFor(keyOf(b, 'sess-crm')));
    const event = { _id: eventId, businessId: b.id, kind: 'lead_created' };
    expect(await startLeadWebhookDeliveries(h.dispatcher.temporal, h.models, leadWebhookSettingsFrom(h.config), event)).toEqual([]);
    // Each attempt's request was recorded before it was answered, so the result means all three are in.
    expect(flaky.received).toHaveLength(3);
    for (const request of flaky.received) {
      expect(verifyWebhook(secret, request.rawBody, request.headers['luxleads-signature']!, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifyWebhook('whsec_wrong', request.rawBody, request.headers['luxleads-signature']!, Math.floor(Date.now() / 1000))).toBe(
        false,
      );
      expect(request.headers['luxleads-event-id']).toBe(eventId);
      expect(request.headers['content-type']).toBe('application/json');
    }
    const body = JSON.parse(flaky.received[2]!.rawBody) as {
      id: string;
      type: string;
      createdAt: string;
      data: { lead: Record<string, unknown> };
    };
    expect(body).toMatchObject({
      id: eventId,
      type: 'lead.created',
      data: { lead: { id: lead._id, name: 'Sam Taylor', phone: '+447700900123', status: 'new', channel: 'web' } },
    });
    expect(Date.parse(body.createdAt)).not.toBeNaN();

    const log = await h.models.WebhookDelivery.find({ endpointId: 'lwh_flaky' }).sort({ attempt: 1 }).lean();
    expect(log.map((d) => [d.attempt, d.statusCode, d.isDelivered, d.type])).toEqual([
      [1, 500, false, 'lead.created'],
      [2, 500, false, 'lead.created'],
      [3, 200, true, 'lead.created'],
    ]);
    expect(log.every((d) => typeof d.durationMs === 'number')).toBe(true);
    expect(await h.models.WebhookDelivery.countDocuments({ endpointId: 'lwh_status_only' })).toBe(0);
  });

  it('sends lead.updated when the conversation adds contact details to an existing lead, once per change', async () => {
    const b = await createNotifiedBusiness(h, { numbers: 0 });
    const receiver = await startWebhookReceiver();
    try {
      await addEndpoint(h, b, 'lwh_updates', receiver.url, ['lead.updated']);
      await customerSays(h, b, 'sess-enrich', "Hi, I'm Alex Morgan, do you do whitening?");
      const lead = await leadOf(h, b.id, 'Alex Morgan');
      await repliesStored(h, b, 'sess-enrich', 1);
      await customerSays(h, b, 'sess-enrich', 'You can email me at alex.morgan@example.com');
      await repliesStored(h, b, 'sess-enrich', 2);
      await customerSays(h, b, 'sess-enrich', 'Thanks, that is all');
      await repliesStored(h, b, 'sess-enrich', 3);

      const updates = await eventually(() => (receiver.received.length >= 1 ? receiver.received : undefined), {
        what: 'lead.updated delivery',
      });
      // The third message changed nothing: once its conversation has settled, there is still one event and one delivery.
      await eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(keyOf(b, 'sess-enrich'))), {
        what: 'conversation settled',
      });
      expect(await h.models.LeadEvent.countDocuments({ leadId: lead._id, kind: 'lead_updated' })).toBe(1);
      expect(receiver.received).toHaveLength(1);
      const body = JSON.parse(updates[0]!.rawBody) as { id: string; type: string; data: { lead: Record<string, unknown> } };
      expect(body).toMatchObject({
        type: 'lead.updated',
        data: { lead: { id: lead._id, name: 'Alex Morgan', email: 'alex.morgan@example.com' } },
      });
      expect(body.id).toMatch(new RegExp(`^lead_updated:${lead._id}:[0-9a-f]{16}$`));
      const event = await h.models.LeadEvent.findById(body.id).lean();
      expect(event?.notifiedAt).toBeInstanceOf(Date);
      // CRM only: the owner is not mailed about an added email address.
      expect((await h.models.Notification.find({ eventId: body.id }).lean()).length).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the retry period, and disables the endpoint and emails the owner after N given-up deliveries in a row', async () => {
    const b = await createNotifiedBusiness(h, { numbers: 0 });
    await addEndpoint(h, b, 'lwh_dead', dead.url);
    dead.respondWith([], 503);
    for (const name of ['Ana Lopez', 'Ben Carter', 'Cleo Park']) await customerSays(h, b, `sess-${name}`, `Hi, I'm ${name}`);
    const endpoint = await eventually(
      async () => {
        const e = await h.models.LeadWebhook.findById('lwh_dead').lean();
        return e?.status === 'disabled' ? e : undefined;
      },
      { what: 'endpoint disabled', timeoutMs: 30_000 },
    );
    expect(endpoint.disabledReason).toMatch(/^3 deliveries in a row failed/);
    expect(await h.models.WebhookDelivery.countDocuments({ endpointId: 'lwh_dead', kind: 'gave_up' })).toBe(3);
    const turnedOff = await eventually(
      () => emailsTo(h, b.email).filter((e) => e.subject.startsWith('Your CRM webhook was turned off')).length > 0 && emailsTo(h, b.email),
      { what: 'owner emailed' },
    );
    expect(turnedOff.filter((e) => e.subject.startsWith('Your CRM webhook was turned off'))).toHaveLength(1);

    // A disabled endpoint gets nothing more.
    const before = dead.received.length;
    await customerSays(h, b, 'sess-late', "Hi, I'm Dara Quinn");
    const late = await leadOf(h, b.id, 'Dara Quinn');
    await eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(keyOf(b, 'sess-late'))), { what: 'conversation settled' });
    const lateDelivery = leadWebhookDeliveryWorkflowId('lwh_dead', `lead_created:${late._id}`);
    if (await workflowExists(h.client, lateDelivery)) await h.client.workflow.getHandle(lateDelivery).result();
    expect(dead.received.length).toBe(before);
  });
});
