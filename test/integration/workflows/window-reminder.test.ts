import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationStateQuery } from '../../../workflows/conversation.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';
import { isWorkflowIdle } from '../../helpers/workflow-idle.js';
import { createNotifiedBusiness, emailsTo, keyOf, whatsAppTo, type TestBusiness } from '../../helpers/notification-fixtures.js';

const REMINDER_SUBJECT = /^Reply soon: /;

/** Messenger, with the event stamped in (skipped) test-server time so the 24 h window is measured on that clock. */
const customerWrites = async (h: Harness, b: TestBusiness, psid: string, text: string) =>
  h.dispatcher.inbound(keyOf(b, psid, 'messenger'), 'ch_demo_messenger', {
    eventId: mid(),
    kind: 'message',
    text,
    at: await h.testEnv!.currentTimeMs(),
  });

const reminders = (h: Harness, b: TestBusiness) => emailsTo(h, b.email).filter((e) => REMINDER_SUBJECT.test(e.subject));

describe('window reminders (time skipping)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('window-reminder', { timeSkipping: true, withResend: true, withWhatsApp: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('reminds the business once, before the 24 h window closes, when nobody answered a request for a person', async () => {
    const b = await createNotifiedBusiness(h);
    await customerWrites(h, b, 'psid-wait', "Hi, I'm Sam Taylor. Can I speak to a real person please?");
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(keyOf(b, 'psid-wait', 'messenger')));
    const state = await eventually(
      async () => {
        const s = await handle.query(conversationStateQuery);
        return s.mode === 'paused' && !s.isProcessing ? s : undefined;
      },
      { what: 'paused for a person' },
    );
    await eventually(() => emailsTo(h, b.email).some((e) => e.subject.startsWith('Human requested')), { what: 'human-requested email' });

    await h.testEnv!.sleep('19 hours');
    await eventually(() => isWorkflowIdle(h.client, handle.workflowId), { what: 'conversation settled at 19 h' });
    expect(reminders(h, b)).toHaveLength(0);
    await h.testEnv!.sleep('2 hours');
    const [reminder] = await eventually(() => reminders(h, b).length > 0 && reminders(h, b), { what: 'reminder email' });
    expect(reminder!.text).toMatch(/reply normally for about 3 h \d+ min/);
    expect(reminder!.text).toContain('up to 7 days');
    expect(reminder!.text).toContain('Sam Taylor');
    expect((await h.testEnv!.currentTimeMs()) < state.windowExpiresAt!).toBe(true);
    // The owner's own WhatsApp window is closed, so the free-form text falls back to the approved template.
    const wa = await eventually(
      () => whatsAppTo(h, b.numbers[0]!).filter((m) => m.template?.parameters[3]?.startsWith('Waiting for a reply')),
      { what: 'WhatsApp reminder' },
    );
    expect(wa).toHaveLength(1);

    await h.testEnv!.sleep('10 hours');
    await eventually(() => isWorkflowIdle(h.client, handle.workflowId), { what: 'conversation settled after the window' });
    expect(reminders(h, b)).toHaveLength(1);
  });

  it('sends no reminder once a person has replied', async () => {
    const b = await createNotifiedBusiness(h);
    await customerWrites(h, b, 'psid-answered', 'Can I talk to a human please? My crown fell out');
    const key = keyOf(b, 'psid-answered', 'messenger');
    const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key));
    await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'paused', { what: 'paused for a person' });
    await h.dispatcher.echo(key, 'ch_demo_messenger', {
      eventId: mid('echo'),
      at: await h.testEnv!.currentTimeMs(),
      text: 'Hi, Anna from reception here',
      fromOurApp: false,
    });
    await eventually(async () => (await h.models.Message.countDocuments({ conversationId: handle.workflowId, author: 'human' })) === 1, {
      what: 'echo stored',
    });

    await h.testEnv!.sleep('23 hours');
    await eventually(() => isWorkflowIdle(h.client, handle.workflowId), { what: 'conversation settled at 23 h' });
    expect(reminders(h, b)).toHaveLength(0);
    expect(await h.models.Notification.countDocuments({ businessId: b.id, kind: 'window_reminder' })).toBe(0);
  });

  it('reminds for a specialist enquiry flagged for review', async () => {
    const b = await createNotifiedBusiness(h);
    await customerWrites(h, b, 'psid-specialist', "I've had swelling and a fever since my extraction, should I take more ibuprofen?");
    const conversationId = h.dispatcher.workflowIdFor(keyOf(b, 'psid-specialist', 'messenger'));
    await eventually(() => h.models.Conversation.findOne({ _id: conversationId, needsReview: true }).lean(), {
      what: 'flagged for review',
    });
    await h.testEnv!.sleep('21 hours');
    await eventually(() => reminders(h, b).length === 1, { what: 'reminder for the specialist enquiry' });
  });
});
