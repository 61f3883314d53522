/** Small builders for notification tests: a business of its own per test, customer messages, and what was sent to it. */
import type { ConversationChannel } from '../../domain/conversation.js';
import { eventually, type Harness } from './harness.js';
import { mid } from './meta-events.js';

let seq = 0;

export type TestBusiness = { id: string; name: string; email: string; numbers: string[] };

/** A business with its own email address and WhatsApp numbers, so assertions never see another test's messages. */
export const createNotifiedBusiness = async (
  h: Harness,
  opts: { numbers?: number; emailMode?: 'instant' | 'digest'; timezone?: string } = {},
): Promise<TestBusiness> => {
  seq += 1;
  const id = `biz_notify_${Date.now().toString(36)}_${seq}`;
  const email = `owner@${id.replace(/_/g, '-')}.example`;
  const numbers = Array.from({ length: opts.numbers ?? 1 }, (_, i) => `+4477009${String(seq).padStart(3, '0')}${i}`);
  const name = `Clinic ${seq}`;
  await h.models.Business.create({
    _id: id,
    name,
    niche: 'dental clinic',
    country: 'GB',
    timezone: opts.timezone ?? 'Europe/London',
    publishableKey: `pk_${id}`,
    notifyEmails: [email],
    notifyWhatsapp: numbers.map((number) => ({ number, status: 'ok' })),
    emailMode: opts.emailMode ?? 'instant',
  });
  return { id, name, email, numbers };
};

export const keyOf = (b: TestBusiness, contactId: string, channel: ConversationChannel = 'web') => ({
  businessId: b.id,
  channel,
  contactId,
});

/** A customer message through the real dispatcher (signal-with-start of the ConversationWorkflow). */
export const customerSays = (h: Harness, b: TestBusiness, contactId: string, text: string, channel: ConversationChannel = 'web') =>
  h.dispatcher.inbound(keyOf(b, contactId, channel), channel === 'web' ? `pk_${b.id}` : 'ch_demo_messenger', {
    eventId: mid(),
    kind: 'message',
    text,
    at: Date.now(),
  });

/** Waits until the assistant has stored `count` replies in this conversation. */
export const repliesStored = (h: Harness, b: TestBusiness, contactId: string, count: number, channel: ConversationChannel = 'web') =>
  eventually(
    async () => {
      const rows = await h.models.Message.find({
        conversationId: h.dispatcher.workflowIdFor(keyOf(b, contactId, channel)),
        direction: 'outbound',
        author: 'assistant',
      })
        .sort({ at: 1 })
        .lean();
      return rows.length >= count ? rows : undefined;
    },
    { what: `${count} assistant replies`, timeoutMs: 30_000 },
  );

export const whatsAppTo = (h: Harness, number: string) => h.graph.whatsAppMessages().filter((m) => m.waId === number.replace(/\D/g, ''));
export const emailsTo = (h: Harness, address: string) => h.resend?.emailsTo(address) ?? [];

/** Waits for every notification row of this business to settle (no 'sending' / 'retry' left) and returns them. */
export const settledNotifications = (h: Harness, businessId: string, atLeast: number) =>
  eventually(
    async () => {
      const rows = await h.models.Notification.find({ businessId }).lean();
      return rows.length >= atLeast && rows.every((r) => r.status !== 'sending' && r.status !== 'retry') ? rows : undefined;
    },
    { what: `${atLeast} settled notifications`, timeoutMs: 30_000 },
  );
