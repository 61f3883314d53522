import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdsFromConfig } from '../../../api/widget/session-id.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { privacyRequestWorkflowId, startPrivacyRequest } from '../../../starters/privacy-requests.js';
import { deletionStatusQuery, type DataDeletionResult } from '../../../workflows/data-deletion.js';
import type { ConversationKey } from '../../../domain/conversation.js';
import { bearer, signUp } from '../../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';

const OTHER_BUSINESS = { _id: 'biz_second_clinic', name: 'Second Clinic', publishableKey: 'pk_second_clinic', niche: 'dental clinic' };

const say = (h: Harness, key: ConversationKey, channelId: string, text: string) =>
  h.dispatcher.inbound(key, channelId, { eventId: mid(), kind: 'message', text, at: Date.now() });

const isGone = async (h: Harness, workflowId: string) => {
  try {
    await h.client.workflow.getHandle(workflowId).describe();
    return false;
  } catch (err) {
    return err instanceof WorkflowNotFoundError;
  }
};

describe('DataDeletionWorkflow', () => {
  let h: Harness;
  let complianceToken: string;
  beforeAll(async () => {
    h = await startHarness('data-deletion-wf');
    await h.models.Business.create(OTHER_BUSINESS);
    const staff = await signUp(h.app, { name: 'Compliance Officer', businessName: 'LuxLeads staff' });
    await h.models.User.updateOne({ _id: staff.userId }, { $set: { platformRole: 'compliance' } });
    complianceToken = staff.token;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it(
    'erases a person spread over two businesses and three channels, leaves others alone and audits counts only',
    { timeout: 240_000 },
    async () => {
      const session = sessionIdsFromConfig(h.config).issue(OTHER_BUSINESS._id);
      const threads: [ConversationKey, string, string][] = [
        [
          { businessId: DEMO.businessId, channel: 'messenger', contactId: 'psid-sam' },
          'ch_demo_messenger',
          "Hi, I'm Sam Taylor, my email is sam@example.com",
        ],
        [
          { businessId: DEMO.businessId, channel: 'instagram', contactId: 'igsid-sam' },
          'ch_demo_instagram',
          'Hello, sam@example.com here, call me on 07700 900123',
        ],
        [
          { businessId: OTHER_BUSINESS._id, channel: 'web', contactId: session },
          OTHER_BUSINESS.publishableKey,
          "I'm Sam Taylor (sam@example.com), do you do whitening?",
        ],
      ];
      const other: [ConversationKey, string, string] = [
        { businessId: DEMO.businessId, channel: 'messenger', contactId: 'psid-olivia' },
        'ch_demo_messenger',
        "Hi, I'm Olivia, olivia@example.com",
      ];
      for (const [key, channelId, text] of [...threads, other]) await say(h, key, channelId, text);
      await eventually(
        async () =>
          (await h.models.Lead.countDocuments({ email: 'sam@example.com' })) === 3 &&
          (await h.models.Lead.countDocuments({ email: 'olivia@example.com' })) === 1,
        { what: 'leads captured', timeoutMs: 90_000 },
      ).catch(async (err: unknown) => {
        const leads = await h.models.Lead.find({}, { contactKeys: 1, email: 1, businessId: 1 }).lean();
        const convs = await h.models.Conversation.find({}, { mode: 1, messageCount: 1, leadId: 1, channel: 1 }).lean();
        throw new Error(`${(err as Error).message}; leads=${JSON.stringify(leads)} conversations=${JSON.stringify(convs)}`);
      });
      await eventually(
        async () => (await h.models.Message.countDocuments({ direction: 'outbound', status: { $in: ['sent', 'failed', 'skipped'] } })) >= 4,
        { what: 'replies settled', timeoutMs: 90_000 },
      );
      const conversationIds = threads.map(([key]) => h.dispatcher.workflowIdFor(key));
      expect(await h.models.Message.countDocuments({ conversationId: { $in: conversationIds } })).toBeGreaterThanOrEqual(6);

      const res = await request(h.app)
        .post('/api/v1/compliance/rights-requests')
        .set(bearer(complianceToken))
        .send({ kind: 'deletion', subject: { email: 'sam@example.com' } });
      expect(res.status).toBe(202);
      const handle = h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', res.body.id));
      const result: DataDeletionResult = await handle.result();
      expect(result.counts).toMatchObject({ conversations: 3, leads: 3 });
      expect(result.counts.messages).toBeGreaterThanOrEqual(6);
      const progress = await handle.query(deletionStatusQuery);
      expect(progress.status).toBe('completed');
      expect(progress.steps.map((s) => s.name)).toEqual([
        'find_subject_records',
        'record_tombstones',
        'erase_conversations',
        'erase_lead_events',
        'erase_leads',
      ]);

      expect(await h.models.Message.countDocuments({ conversationId: { $in: conversationIds } })).toBe(0);
      expect(await h.models.Conversation.countDocuments({ _id: { $in: conversationIds } })).toBe(0);
      expect(
        await h.models.Lead.countDocuments({
          $or: [{ email: 'sam@example.com' }, { contactKeys: { $in: ['messenger:psid-sam', 'instagram:igsid-sam', `web:${session}`] } }],
        }),
      ).toBe(0);
      expect(await h.models.LeadEvent.countDocuments({ conversationId: { $in: conversationIds } })).toBe(0);
      for (const id of conversationIds)
        await eventually(() => isGone(h, id), { what: `workflow ${id} deleted from Temporal`, timeoutMs: 45_000 });

      // Everyone else is untouched.
      const olivia = h.dispatcher.workflowIdFor(other[0]);
      expect(await h.models.Lead.countDocuments({ email: 'olivia@example.com' })).toBe(1);
      expect(await h.models.Message.countDocuments({ conversationId: olivia })).toBeGreaterThanOrEqual(1);
      expect((await h.client.workflow.getHandle(olivia).describe()).status.name).toBe('RUNNING');

      // The audit trail says what was done, in counts, and never who it was done to.
      const entries = await h.models.AuditEntry.find({ 'details.requestId': res.body.id }).lean();
      expect(entries.map((e) => e.action)).toEqual(
        expect.arrayContaining([
          'privacy.deletion.requested',
          'privacy.deletion.erase_conversations',
          'privacy.deletion.erase_leads',
          'privacy.deletion.status_completed',
        ]),
      );
      expect(entries.find((e) => e.action === 'privacy.deletion.erase_conversations')?.details).toMatchObject({ conversations: 3 });
      const everything = JSON.stringify(await h.models.AuditEntry.find().lean());
      for (const pii of ['sam@example.com', 'Sam Taylor', 'Sam', '07700', '447700900123', 'psid-sam', 'igsid-sam', session])
        expect(everything).not.toContain(pii);

      const detail = await request(h.app).get(`/api/v1/compliance/rights-requests/${res.body.id}`).set(bearer(complianceToken));
      expect(detail.body.history.map((e: { action: string }) => e.action)).toContain('privacy.deletion.erase_leads');
    },
  );

  it('a customer asking in the chat and the public form start the same workflow type', async () => {
    const key: ConversationKey = { businessId: DEMO.businessId, channel: 'messenger', contactId: 'psid-paul' };
    const conversationId = h.dispatcher.workflowIdFor(key);
    await say(h, key, 'ch_demo_messenger', "Hi, I'm Paul, paul@example.com");
    await eventually(() => h.graph.messagesTo('psid-paul').length === 1, { what: 'first reply' });
    const ask = mid();
    await h.dispatcher.inbound(key, 'ch_demo_messenger', { eventId: ask, kind: 'message', text: 'Please delete my data', at: Date.now() });

    const row = await eventually(() => h.models.PrivacyRequest.findOne({ source: 'chat', businessId: DEMO.businessId }).lean(), {
      what: 'chat deletion request recorded',
    });
    const chatHandle = h.client.workflow.getHandle(row.workflowId);
    await chatHandle.result();
    // The request ran as the conversation's child (the Temporal UI shows both), abandoned so it outlived the thread it erased.
    expect((await chatHandle.describe()).parentExecution?.workflowId).toBe(conversationId);
    // The same ask again (a retried step, Meta redelivering it) lands on the same request: no second row or workflow.
    const again = await startPrivacyRequest(
      { client: h.client, taskQueue: h.taskQueue, models: h.models, keyRing: h.config.ENCRYPTION_KEY },
      {
        kind: 'deletion',
        source: 'chat',
        subject: { contacts: [{ channel: 'messenger', contactId: 'psid-paul' }] },
        businessId: DEMO.businessId,
        requestedBy: { type: 'subject' },
        dedupeKey: `chat:${conversationId}:${ask}`,
      },
    );
    expect(again).toMatchObject({ requestId: row._id, workflowId: row.workflowId, isNew: false });
    expect(await h.models.PrivacyRequest.countDocuments({ source: 'chat', businessId: DEMO.businessId })).toBe(1);
    expect(h.graph.messagesTo('psid-paul').at(-1)).toMatch(/delete/i);
    expect(await h.models.Lead.countDocuments({ email: 'paul@example.com' })).toBe(0);
    expect(await h.models.Conversation.countDocuments({ contactId: 'psid-paul' })).toBe(0);
    await eventually(() => isGone(h, conversationId), { what: 'conversation workflow deleted', timeoutMs: 45_000 });

    const form = await request(h.app)
      .post('/data-deletion')
      .set('Accept', 'application/json')
      .send({ business: DEMO.publishableKey, widgetSessionId: sessionIdsFromConfig(h.config).issue(DEMO.businessId) });
    const formHandle = h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', form.body.confirmationCode));
    expect((await formHandle.describe()).type).toBe((await chatHandle.describe()).type);
    expect((await chatHandle.describe()).type).toBe('dataDeletionWorkflow');
  });

  it('answers a deletion asked in Messenger with the confirmation code of the request it started', async () => {
    const key: ConversationKey = { businessId: DEMO.businessId, channel: 'messenger', contactId: 'psid-quinn' };
    await say(h, key, 'ch_demo_messenger', "Hi, I'm Quinn, quinn@example.com");
    await eventually(() => h.graph.messagesTo('psid-quinn').length === 1, { what: 'first reply' });
    await say(h, key, 'ch_demo_messenger', 'Please delete my data');

    const sent = await eventually(() => h.graph.messagesTo('psid-quinn').find((m) => /confirmation code is/.test(m)), {
      what: 'confirmation code in the chat',
    });
    const code = /confirmation code is ([a-z0-9]+)/.exec(sent)![1]!;
    const row = await eventually(() => h.models.PrivacyRequest.findById(code).lean(), { what: 'the request behind the code' });
    expect(row).toMatchObject({ source: 'chat', kind: 'deletion', businessId: DEMO.businessId });
    expect(sent).toContain(`/data-deletion/${code}`);
    await h.client.workflow.getHandle(privacyRequestWorkflowId('deletion', code)).result();
    const status = await request(h.app).get(`/data-deletion/${code}`).set('Accept', 'application/json');
    expect(status.body).toMatchObject({ confirmationCode: code, status: 'completed' });
  });
});
