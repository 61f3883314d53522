/** Request and response schemas of the Meta connection routes; the same objects validate and document them. */
import { z } from 'zod';
import { BusinessParamsSchema } from '../schemas/common.js';

export { BusinessParamsSchema };
export const PendingParamsSchema = BusinessParamsSchema.extend({
  pendingId: z.string().regex(/^mpc_[\w-]{10,64}$/, 'is not a pending connection id'),
});
export const ChannelParamsSchema = BusinessParamsSchema.extend({ channelId: z.string().min(1).max(100) });

export const ConnectUrlSchema = z.object({ url: z.url(), expiresAt: z.iso.datetime() });

export const OAuthCallbackQuerySchema = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(1024, 'is too long to be a state we issued'),
  error: z.string().max(200).optional(),
  error_reason: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

export const CandidatePageSchema = z.object({ id: z.string(), name: z.string(), hasInstagram: z.boolean(), canMessage: z.boolean() });
export const PendingConnectionSchema = z.object({
  pendingId: z.string(),
  businessId: z.string(),
  pages: z.array(CandidatePageSchema),
  expiresAt: z.iso.datetime(),
});

export const ChoosePagesBodySchema = z.strictObject({
  pageIds: z
    .array(z.string().regex(/^\d{1,32}$/, 'must be a Facebook Page id (digits)'))
    .min(1, 'choose at least one Page')
    .max(50),
});

export const ChannelViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['messenger', 'instagram']),
  externalId: z.string(),
  pageId: z.string(),
  name: z.string().nullable(),
  status: z.enum(['connected', 'needs_reconnect', 'disconnected']),
  statusReason: z.string().nullable(),
  connectedAt: z.string().nullable(),
  disconnectedAt: z.string().nullable(),
  lastHealthCheckAt: z.string().nullable(),
});
export const ChannelListSchema = z.object({ data: z.array(ChannelViewSchema) });
export const DisconnectResultSchema = z.object({ channel: ChannelViewSchema, unsubscribed: z.boolean(), revoked: z.boolean() });
