/**
 * POST /webhooks/resend: verify the Svix signature on the raw body with RESEND_WEBHOOK_SECRET, keep the handled
 * event types, take just the ids (the email id, the sender of an inbound email) and find our own records by them:
 * a delivery is stamped, a bounce or complaint suppresses the address, a reply stops the prospect's sequences.
 * Each outcome is idempotent, so a redelivery changes nothing; workflows are signalled after the records hold.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { markDeliveryEvent, markReplied, type StopReason } from '../../domain/outreach/events.js';
import { addressHashes } from '../../domain/outreach/suppression.js';
import { createResendWebhookVerifier, type ResendWebhookEvent } from '../../integrations/resend-webhooks.js';
import { signalOutreachStop } from '../../starters/outreach.js';
import { AppError } from '../errors.js';
import { documentedWebhook } from '../openapi/route.js';
import type { OutreachPublicDeps } from './deps.js';

const HANDLED = ['email.delivered', 'email.bounced', 'email.complained', 'email.received'] as const;
const EventBodySchema = z.object({ type: z.string(), created_at: z.string(), data: z.record(z.string(), z.unknown()) });

const disabled = () =>
  new AppError(503, 'integration-disabled', 'Resend webhooks are not configured', 'Set RESEND_WEBHOOK_SECRET, then restart.');
const badSignature = () =>
  new AppError(
    400,
    'bad-signature',
    'Webhook signature rejected',
    'svix-signature does not match the body for RESEND_WEBHOOK_SECRET (or is too old).',
  );

/** `Name <a@b.c>` or `a@b.c` → a@b.c */
const addressOf = (from: string) => (/<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

export const resendWebhookRouter = (deps: OutreachPublicDeps) => {
  const router = Router();
  const { models, config, log } = deps;
  const ring = config.ENCRYPTION_KEY;
  const verifier = config.RESEND_WEBHOOK_SECRET ? createResendWebhookVerifier(config.RESEND_WEBHOOK_SECRET) : undefined;

  const verify = (raw: Buffer, req: Request): ResendWebhookEvent => {
    if (!verifier) throw disabled();
    const [id, timestamp, signature] = [req.get('svix-id'), req.get('svix-timestamp'), req.get('svix-signature')];
    if (!id || !timestamp || !signature) throw badSignature();
    const event = verifier(raw.toString('utf8'), { id, timestamp, signature });
    if (!event) throw badSignature();
    return event;
  };

  const handle = async (event: ResendWebhookEvent): Promise<{ workflowIds: string[]; reason?: StopReason }> => {
    if (event.type === 'email.received') {
      const prospect = await models.OutreachProspect.findOne(
        { emailHash: { $in: addressHashes(ring, 'email', addressOf(event.data.from)) } },
        { _id: 1 },
      ).lean();
      return prospect ? { workflowIds: await markReplied(models, prospect._id), reason: 'replied' } : { workflowIds: [] };
    }
    if (event.type === 'email.delivered' || event.type === 'email.bounced' || event.type === 'email.complained') {
      const what = event.type === 'email.delivered' ? 'delivered' : event.type === 'email.bounced' ? 'bounced' : 'complained';
      const workflowIds = await markDeliveryEvent(models, ring, event.data.email_id, what);
      return what === 'delivered' ? { workflowIds: [] } : { workflowIds, reason: what };
    }
    return { workflowIds: [] };
  };

  documentedWebhook(
    router,
    {
      path: '/webhooks/resend',
      tags: ['Webhooks'],
      summary: 'Resend events (delivered, bounced, complained, inbound reply), verified with RESEND_WEBHOOK_SECRET',
      description: 'Register this URL in Resend with the events email.delivered, email.bounced, email.complained and email.received.',
      rawBody: { type: 'application/json', schema: EventBodySchema },
      responses: {
        200: 'Received (also for redeliveries and event types LuxLeads ignores)',
        400: 'Signature headers missing or not matching',
        503: 'RESEND_WEBHOOK_SECRET is not set',
      },
    },
    { limit: '256kb', verify },
    async (_req, res, { verified: event }) => {
      if (!(HANDLED as readonly string[]).includes(event.type)) {
        res.json({ received: true });
        return;
      }
      const { workflowIds, reason } = await handle(event);
      if (reason && workflowIds.length > 0)
        await signalOutreachStop(deps.temporal, workflowIds, reason).catch((err: unknown) =>
          log.warn(
            { err: (err as Error).message, type: event.type },
            'Resend event recorded; telling the sequences failed (the send check stops them)',
          ),
        );
      res.json({ received: true });
    },
  );
  return router;
};
