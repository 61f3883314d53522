/**
 * Issue 16 §7: a Meta data-deletion request for a person who wrote on Messenger and Instagram erases both threads.
 * Meta maps the app-scoped id to Page-scoped ids only (ids_for_pages); the Instagram thread is reached through
 * what we hold: a lead sharing the person's email, or leads the business merged.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeLeads } from '../../api/leads/merge.js';
import { signRequest } from '../../api/meta/signed-request.js';
import { DEMO } from '../../domain/demo-seed.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import type { DataDeletionResult } from '../../workflows/data-deletion.js';
import type { ConversationKey } from '../../domain/conversation.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

const messenger = (contactId: string): [ConversationKey, string] => [
  { businessId: DEMO.businessId, channel: 'messenger', contactId },
  'ch_demo_messenger',
];
const instagram = (contactId: string): [ConversationKey, string] => [
  { businessId: DEMO.businessId, channel: 'instagram', contactId },
  'ch_demo_instagram',
];

describe('Meta data deletion for a person on Messenger and Instagram', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('meta-deletion-instagram');
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** One message on a thread, then wait until its reply went out and its lead exists. */
  const say = async ([key, channelId]: [ConversationKey, string], text: string) => {
    await h.dispatcher.inbound(key, channelId, { eventId: mid(), kind: 'message', text, at: Date.now() });
    await eventually(() => h.graph.messagesTo(key.contactId).length > 0, { what: `reply to ${key.contactId}`, timeoutMs: 60_000 });
    return eventually(() => h.models.Lead.findOne({ contactKeys: `${key.channel}:${key.contactId}` }).lean(), {
      what: `lead of ${key.contactId}`,
    });
  };

  /** Meta's signed deletion callback for this app-scoped id; resolves when the deletion finished. */
  const deleteAtMetasRequest = async (asid: string) => {
    const signed = signRequest({ algorithm: 'HMAC-SHA256', issued_at: 1_700_000_000, user_id: asid }, TEST_APP_SECRET);
    const res = await request(h.app).post('/webhooks/meta/data-deletion').type('form').send({ signed_request: signed });
    expect(res.status).toBe(200);
    return (await h.client.workflow
      .getHandle(privacyRequestWorkflowId('deletion', res.body.confirmation_code as string))
      .result()) as DataDeletionResult;
  };
  const threadsOf = (contactIds: string[]) => h.models.Conversation.countDocuments({ contactId: { $in: contactIds } });

  it(
    'erases the Instagram thread too when the person gave the same email on both channels (leads never merged)',
    { timeout: 180_000 },
    async () => {
      await say(messenger('psid-frank'), 'Hi, I am Frank, frank@example.com');
      await say(instagram('igsid-frank'), 'Hello again, frank@example.com, is Saturday free?');
      await say(instagram('igsid-nina'), 'Hi, I am Nina, nina@example.com');
      // Meta knows more than a hundred Page-scoped ids for Frank: his thread's id comes on the second page of answers.
      h.graph.addIdsForPages('asid-frank', [
        ...Array.from({ length: 120 }, (_, i) => ({ psid: `psid-elsewhere-${i}`, pageId: '300000000000001' })),
        { psid: 'psid-frank', pageId: DEMO.messengerPageId },
      ]);

      const result = await deleteAtMetasRequest('asid-frank');
      expect(result.counts.conversations).toBe(2);
      expect(h.graph.callsTo('GET', /\/asid-frank\/ids_for_pages$/)).toHaveLength(2);
      expect(await threadsOf(['psid-frank', 'igsid-frank'])).toBe(0);
      expect(await h.models.Lead.countDocuments({ email: 'frank@example.com' })).toBe(0);
      expect(
        await h.models.Message.countDocuments({
          conversationId: {
            $in: [h.dispatcher.workflowIdFor(messenger('psid-frank')[0]), h.dispatcher.workflowIdFor(instagram('igsid-frank')[0])],
          },
        }),
      ).toBe(0);
      // Someone else's Instagram thread stays.
      expect(await threadsOf(['igsid-nina'])).toBe(1);
      expect(await h.models.Lead.countDocuments({ email: 'nina@example.com' })).toBe(1);
    },
  );

  it(
    'erases the Instagram thread of a lead the business merged with the Messenger one, even without an email',
    { timeout: 180_000 },
    async () => {
      const fbLead = await say(messenger('psid-grace'), 'Hi there, do you whiten teeth?');
      const igLead = await say(instagram('igsid-grace'), 'Hello, how much is a check-up?');
      expect(fbLead._id).not.toBe(igLead._id);
      await mergeLeads(h.models, {
        businessId: DEMO.businessId,
        leadId: igLead._id,
        intoLeadId: fbLead._id,
        actor: { actorType: 'user', actorId: 'usr_test_owner' },
      });
      h.graph.addIdsForPages('asid-grace', [{ psid: 'psid-grace', pageId: DEMO.messengerPageId }]);

      const result = await deleteAtMetasRequest('asid-grace');
      expect(result.counts).toMatchObject({ conversations: 2, leads: 2 });
      expect(await threadsOf(['psid-grace', 'igsid-grace'])).toBe(0);
      expect(await h.models.Lead.countDocuments({ _id: { $in: [fbLead._id, igLead._id] } })).toBe(0);
      expect(await threadsOf(['igsid-nina'])).toBe(1);
    },
  );
});
