/**
 * A deletion request's lead-event step also erases what was sent about the person: the business's
 * notification rows and the CRM webhook delivery log for their lead events, within the request's business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyErasureActivities } from '../../../activities/privacy/erasure.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

const OTHER = 'biz_erasure_other';

describe('eraseLeadEvents', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('privacy-erasure', { startWorker: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const seed = async (businessId: string, leadId: string, conversationId: string) => {
    const eventId = `lead_created:${businessId}:${leadId}`;
    await h.models.LeadEvent.create({ _id: eventId, businessId, leadId, conversationId, kind: 'lead_created' });
    await h.models.Notification.create([
      {
        _id: `${eventId}:email:owner@clinic.example`,
        businessId,
        kind: 'lead_created',
        channel: 'email',
        target: 'owner@clinic.example',
        status: 'sent',
        leadId,
        eventId,
        conversationId,
      },
      // A digest row names the lead but not the event.
      {
        _id: `digest:${businessId}:${leadId}`,
        businessId,
        kind: 'digest',
        channel: 'email',
        target: 'owner@clinic.example',
        status: 'sent',
        leadId,
      },
    ]);
    await h.models.WebhookDelivery.create({
      _id: `delivery:${eventId}:1`,
      businessId,
      endpointId: `wh_${businessId}`,
      eventId,
      type: 'lead.created',
      workflowId: `wf:${eventId}`,
      attempt: 1,
      at: new Date(),
    });
  };
  const held = async (businessId: string, leadId: string) => ({
    leadEvents: await h.models.LeadEvent.countDocuments({ businessId, leadId }),
    notifications: await h.models.Notification.countDocuments({ businessId, leadId }),
    webhookDeliveries: await h.models.WebhookDelivery.countDocuments({ businessId, eventId: `lead_created:${businessId}:${leadId}` }),
  });

  it("erases the person's notifications and webhook deliveries with their lead events, and only theirs", async () => {
    await seed(DEMO.businessId, 'lead_sam', 'conv_sam');
    await seed(DEMO.businessId, 'lead_olivia', 'conv_olivia');
    // Another business's rows about an id the request names: a business-scoped request leaves them.
    await seed(OTHER, 'lead_sam', 'conv_sam');

    const { eraseLeadEvents } = createPrivacyErasureActivities(h.activityDeps);
    const input = { requestId: 'req_erasure', businessId: DEMO.businessId, leadIds: ['lead_sam'], conversationIds: ['conv_sam'] };
    const first = await eraseLeadEvents(input);
    expect(first.counts).toEqual({ leadEvents: 1, notifications: 2, webhookDeliveries: 1 });
    expect(await held(DEMO.businessId, 'lead_sam')).toEqual({ leadEvents: 0, notifications: 0, webhookDeliveries: 0 });
    expect(await held(DEMO.businessId, 'lead_olivia')).toEqual({ leadEvents: 1, notifications: 2, webhookDeliveries: 1 });
    expect(await held(OTHER, 'lead_sam')).toEqual({ leadEvents: 1, notifications: 2, webhookDeliveries: 1 });

    // A retried activity finds nothing more to erase.
    expect((await eraseLeadEvents(input)).counts).toEqual({ leadEvents: 0, notifications: 0, webhookDeliveries: 0 });
  });
});
