/** Request and response shapes of the lead-webhook routes; the same schemas validate and document them. */
import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import { LEAD_WEBHOOK_EVENT_TYPES } from '../../db/models/lead-webhook.js';
import { literalAddressProblem, outboundPolicyFrom } from '../../lib/outbound-target.js';
import { BusinessParamsSchema, IdSchema } from '../schemas/common.js';

export { BusinessParamsSchema };
export const LeadWebhookParamsSchema = BusinessParamsSchema.extend({ webhookId: IdSchema.describe('Lead webhook id (lwh_…)') });
export const DeliveryParamsSchema = LeadWebhookParamsSchema.extend({ deliveryId: IdSchema.describe('Delivery id (whd_…)') });

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i;

/**
 * HTTPS only in production; a local receiver over http://127.0.0.1 is allowed while developing and testing.
 * A literal private address is refused here; host names are resolved and checked by the route.
 */
export const webhookUrlSchema = (nodeEnv: Config['NODE_ENV']) =>
  z
    .url({ message: 'must be an absolute URL such as https://crm.example.com/hooks/luxleads' })
    .max(2000)
    .refine((u) => u.startsWith('https://') || (nodeEnv !== 'production' && LOOPBACK.test(u)), {
      message: nodeEnv === 'production' ? 'must be an https:// URL' : 'must be an https:// URL (or http://127.0.0.1 while developing)',
    })
    .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), {
      message: 'must not contain a user name or password; authenticate with the signature instead',
    })
    .superRefine((u, ctx) => {
      const problem = literalAddressProblem(u, outboundPolicyFrom({ NODE_ENV: nodeEnv }));
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const createLeadWebhookSchema = (nodeEnv: Config['NODE_ENV']) =>
  z.strictObject({
    url: webhookUrlSchema(nodeEnv),
    events: z
      .array(z.enum(LEAD_WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(LEAD_WEBHOOK_EVENT_TYPES.length)
      .optional()
      .describe('Defaults to every event type'),
    description: z.string().trim().max(200).optional(),
  });

export const LeadWebhookViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(LEAD_WEBHOOK_EVENT_TYPES)),
  status: z.enum(['active', 'disabled']),
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
  createdAt: z.string(),
});

export const CreatedLeadWebhookSchema = LeadWebhookViewSchema.extend({
  secret: z
    .string()
    .describe('Signing secret, shown only now: verify LuxLeads-Signature t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>'),
});

export const DeliveryViewSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.string(),
  attempt: z.number(),
  kind: z.enum(['attempt', 'gave_up']),
  isDelivered: z.boolean(),
  statusCode: z.number().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  replayOf: z.string().nullable(),
  at: z.string(),
});

export const ReplayStartedSchema = z.object({ workflowId: z.string(), eventId: z.string() });
