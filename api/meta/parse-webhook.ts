/**
 * Turns a Meta webhook body (Messenger `page` or `instagram` object) into the few event kinds we act on.
 * Each event is validated on its own: one malformed event is skipped, never fatal to its batch.
 */
import { z } from 'zod';

const id = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String);
const attachment = z.object({ type: z.string().max(40) }).loose();

const messageSchema = z
  .object({
    mid: z.string().min(1).max(512),
    text: z.string().max(20_000).optional(),
    is_echo: z.boolean().optional(),
    is_deleted: z.boolean().optional(),
    is_unsupported: z.boolean().optional(),
    app_id: id.optional(),
    metadata: z.string().max(1000).optional(),
    quick_reply: z.object({ payload: z.string().max(1000) }).optional(),
    attachments: z.array(attachment).max(20).optional(),
  })
  .loose();

const messagingSchema = z
  .object({
    sender: z.object({ id }),
    recipient: z.object({ id }),
    timestamp: z.number().int().positive(),
    message: messageSchema.optional(),
    postback: z
      .object({ mid: z.string().max(512).optional(), title: z.string().max(1000).optional(), payload: z.string().max(1000).optional() })
      .loose()
      .optional(),
    read: z.object({}).loose().optional(),
    delivery: z.object({}).loose().optional(),
    reaction: z.object({}).loose().optional(),
  })
  .loose();

const entrySchema = z
  .object({
    id,
    time: z.number().optional(),
    messaging: z.array(z.unknown()).max(1000).optional(),
    standby: z.array(z.unknown()).max(1000).optional(),
  })
  .loose();
export const WebhookEnvelopeSchema = z.object({ object: z.string().max(40), entry: z.array(z.unknown()).max(1000) });

export type MetaChannelKind = 'messenger' | 'instagram';
export type ParsedMetaEvent =
  | {
      kind: 'inbound';
      channel: MetaChannelKind;
      accountId: string;
      contactId: string;
      eventId: string;
      type: 'message' | 'postback';
      text: string;
      at: number;
      quickReplyPayload?: string;
      attachmentTypes?: string[];
    }
  | {
      kind: 'echo';
      channel: MetaChannelKind;
      accountId: string;
      contactId: string;
      eventId: string;
      at: number;
      text: string;
      appId?: string;
      metadata?: string;
    }
  | {
      kind: 'ignored';
      channel: MetaChannelKind;
      accountId: string;
      reason: 'read' | 'delivery' | 'reaction' | 'standby' | 'deleted' | 'other';
    };

export type ParseResult = { object: string; events: ParsedMetaEvent[]; malformed: number };

const toEvent = (channel: MetaChannelKind, accountId: string, raw: unknown): ParsedMetaEvent | undefined => {
  const parsed = messagingSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  if (e.message) {
    const m = e.message;
    if (m.is_echo)
      return {
        kind: 'echo',
        channel,
        accountId,
        contactId: e.recipient.id,
        eventId: m.mid,
        at: e.timestamp,
        text: m.text ?? '',
        appId: m.app_id,
        metadata: m.metadata,
      };
    if (m.is_deleted) return { kind: 'ignored', channel, accountId, reason: 'deleted' };
    const attachmentTypes = m.attachments?.map((a) => a.type);
    const text = m.text ?? (attachmentTypes?.length ? `[${attachmentTypes.join(', ')}]` : '');
    if (!text) return { kind: 'ignored', channel, accountId, reason: 'other' };
    return {
      kind: 'inbound',
      channel,
      accountId,
      contactId: e.sender.id,
      eventId: m.mid,
      type: 'message',
      text,
      at: e.timestamp,
      quickReplyPayload: m.quick_reply?.payload,
      attachmentTypes,
    };
  }
  if (e.postback) {
    const p = e.postback;
    // Postbacks may come without a mid; derive a key that is stable across redeliveries.
    const eventId = p.mid ?? `postback:${e.sender.id}:${e.timestamp}:${p.payload ?? ''}`;
    return {
      kind: 'inbound',
      channel,
      accountId,
      contactId: e.sender.id,
      eventId,
      type: 'postback',
      text: p.title ?? p.payload ?? '',
      at: e.timestamp,
      quickReplyPayload: p.payload,
    };
  }
  if (e.read) return { kind: 'ignored', channel, accountId, reason: 'read' };
  if (e.delivery) return { kind: 'ignored', channel, accountId, reason: 'delivery' };
  if (e.reaction) return { kind: 'ignored', channel, accountId, reason: 'reaction' };
  return { kind: 'ignored', channel, accountId, reason: 'other' };
};

export const parseMetaWebhook = (body: unknown): ParseResult | undefined => {
  const envelope = WebhookEnvelopeSchema.safeParse(body);
  if (!envelope.success) return undefined;
  const channel: MetaChannelKind | undefined =
    envelope.data.object === 'page' ? 'messenger' : envelope.data.object === 'instagram' ? 'instagram' : undefined;
  const result: ParseResult = { object: envelope.data.object, events: [], malformed: 0 };
  if (!channel) return result;
  for (const rawEntry of envelope.data.entry) {
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) {
      result.malformed++;
      continue;
    }
    for (const raw of entry.data.messaging ?? []) {
      const event = toEvent(channel, entry.data.id, raw);
      if (event) result.events.push(event);
      else result.malformed++;
    }
    // Another app owns these threads (conversation routing): never answer them.
    for (const _ of entry.data.standby ?? []) result.events.push({ kind: 'ignored', channel, accountId: entry.data.id, reason: 'standby' });
  }
  return result;
};
