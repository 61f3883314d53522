/** The widget API's requests and answers: validated by these schemas and documented from them. */
import { z } from 'zod';

export const PublishableKeySchema = z.string().regex(/^pk_[A-Za-z0-9_]{4,64}$/, 'must be a publishable key (pk_…)');
const key = PublishableKeySchema;
const sessionId = z.string().min(1).max(100);
export const StartSessionSchema = z.object({ key, sessionId: sessionId.optional() }).strict();
export const SendMessageSchema = z
  .object({
    key,
    sessionId,
    text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
    clientMessageId: z.uuid(),
  })
  .strict();
export const PollSchema = z.object({
  key,
  sessionId,
  after: z.coerce.number().int().nonnegative().optional(),
  wait: z.coerce.number().int().min(0).max(30).default(25),
});

const WidgetMessageSchema = z.object({
  id: z.string(),
  clientMessageId: z.string().optional(),
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(['visitor', 'assistant', 'human']),
  text: z.string(),
  createdAt: z.string(),
});
const CursorSchema = z.string().describe('Pass as `after` on the next poll');

export const SessionSchema = z.object({
  sessionId: z.string(),
  config: z.object({
    businessName: z.string(),
    color: z.string(),
    greeting: z.string(),
    privacyUrl: z.string(),
    /** The request form for every right, tied to this session by a token valid for two hours (no session id in it). */
    dataRequestUrl: z.string().optional(),
    aiDisclosure: z.string(),
  }),
  messages: z.array(WidgetMessageSchema),
  cursor: CursorSchema,
});
export const SentSchema = z.object({ message: WidgetMessageSchema });
export const PollResultSchema = z.object({ messages: z.array(WidgetMessageSchema), cursor: CursorSchema, typing: z.boolean() });
