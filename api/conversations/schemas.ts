/** Request and response schemas of the conversation routes; the same objects validate and document them. */
import { z } from 'zod';
import { CONVERSATION_CHANNELS, CONVERSATION_MODES } from '../../db/models/conversation.js';
import { URGENCIES } from '../../db/models/lead.js';
import { MAX_PAUSE_MINUTES } from '../../domain/conversation.js';
import { PageQuerySchema } from '../pagination.js';
import { BusinessParamsSchema } from '../schemas/common.js';

export { BusinessParamsSchema };
export const ConversationParamsSchema = BusinessParamsSchema.extend({ conversationId: z.string().min(1).max(300) });
export const DraftParamsSchema = ConversationParamsSchema.extend({ messageId: z.string().min(1).max(1200) });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Strict: an unknown key (including `mode[$ne]`) is a 400, never silently ignored. */
export const ConversationListQuerySchema = z.strictObject({
  ...PageQuerySchema.shape,
  channel: z.enum(CONVERSATION_CHANNELS).optional(),
  mode: z.enum(CONVERSATION_MODES).optional(),
  needsReview: flag.optional(),
  urgency: z.enum(URGENCIES).optional().describe('Only conversations whose lead has this urgency'),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;
export const TranscriptQuerySchema = z.strictObject({ ...PageQuerySchema.shape });
export const DraftListQuerySchema = z.strictObject({ ...PageQuerySchema.shape });

const text = z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters');
export const PauseBodySchema = z.strictObject({
  minutes: z.number().int().min(1).max(MAX_PAUSE_MINUTES).optional(),
});
export const EmptyBodySchema = z.strictObject({});
export const ReplyBodySchema = z.strictObject({ text });
export const ApproveDraftBodySchema = z.strictObject({ text: text.optional() });

const date = z.string().nullable();
export const ConversationViewSchema = z.object({
  id: z.string(),
  channel: z.enum(CONVERSATION_CHANNELS),
  channelId: z.string(),
  mode: z.enum(CONVERSATION_MODES),
  pausedUntil: date,
  needsReview: z.boolean(),
  reviewReason: z.string().nullable(),
  leadId: z.string().nullable(),
  messageCount: z.number(),
  lastMessageAt: date,
  lastInboundAt: date,
  windowExpiresAt: date,
  createdAt: date,
});
export const ConversationListItemSchema = ConversationViewSchema.extend({
  leadName: z.string().nullable().describe("The lead's name, once the customer gave it"),
  urgency: z.enum(URGENCIES).nullable().describe("The lead's urgency (null: no lead yet)"),
  lastMessage: z
    .object({
      author: z.enum(['visitor', 'assistant', 'human']),
      preview: z.string().describe('The start of the last message, shortened by the server'),
      at: date,
    })
    .nullable(),
});
export const MessageViewSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(['visitor', 'assistant', 'human']),
  text: z.string(),
  status: z.string(),
  statusReason: z.string().nullable(),
  at: z.string(),
  sentAt: date,
});
export const ConversationStateViewSchema = z.object({
  mode: z.enum(CONVERSATION_MODES),
  pausedUntil: date,
  messageCount: z.number(),
  isProcessing: z.boolean(),
});
export const ConversationDetailSchema = z.object({
  conversation: ConversationViewSchema,
  messages: z.object({ data: z.array(MessageViewSchema), nextCursor: z.string().nullable() }),
});
export const SentMessageSchema = z.object({ message: MessageViewSchema, state: ConversationStateViewSchema });
/** 202: the message may or may not have reached the customer; it is never resent automatically. */
export const UnconfirmedMessageSchema = z.object({
  message: MessageViewSchema,
  state: ConversationStateViewSchema.nullable(),
  delivery: z.literal('unconfirmed'),
  detail: z.string(),
});
