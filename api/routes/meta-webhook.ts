/**
 * Meta webhooks for Messenger and Instagram: verify, parse, route, hand to Temporal, then acknowledge.
 * The 200 is sent only once every event is durably in Temporal; otherwise 503 so Meta redelivers.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import type { Dispatcher } from '../conversations/dispatch.js';
import { AppError, unauthorized } from '../errors.js';
import type { ChannelRouter } from '../meta/channel-router.js';
import { parseMetaWebhook, WebhookEnvelopeSchema, type ParsedMetaEvent } from '../meta/parse-webhook.js';
import { verifyMetaSignature } from '../meta/signature.js';
import type { Metrics } from '../metrics.js';
import { documentedRoute, documentedWebhook } from '../openapi/route.js';

export type MetaWebhookDeps = {
  appId?: string;
  appSecret?: string;
  verifyToken?: string;
  router: ChannelRouter;
  dispatcher: Dispatcher;
  log: Logger;
  metrics?: Metrics;
};

const OUR_METADATA = 'luxleads:bot';

const disabled = () =>
  new AppError(
    503,
    'integration-disabled',
    'Meta integration is not configured',
    'Set META_APP_SECRET and META_VERIFY_TOKEN, then restart.',
  );

const TAGS = ['Meta'];
/** Meta's subscription handshake: a wrong or missing field is a failed verification (403), not a validation error. */
const HandshakeQuerySchema = z.object({
  'hub.mode': z.string().optional().catch(undefined),
  'hub.verify_token': z.string().optional().catch(undefined),
  'hub.challenge': z.string().max(200).optional().catch(undefined),
});

export const metaWebhookRouter = (deps: MetaWebhookDeps) => {
  const router = Router();

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/webhooks/meta',
      tags: TAGS,
      auth: 'none',
      summary: "Meta's webhook subscription handshake: echoes hub.challenge when hub.verify_token matches META_VERIFY_TOKEN",
      query: HandshakeQuerySchema,
      produces: 'text/plain',
      responses: { 200: 'hub.challenge', 403: 'hub.verify_token does not match', 503: 'META_VERIFY_TOKEN is not set' },
    },
    [],
    async (_req, res, { query: q }) => {
      if (!deps.verifyToken) throw disabled();
      if (q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== deps.verifyToken || q['hub.challenge'] === undefined)
        throw new AppError(403, 'verification-failed', 'Webhook verification failed', 'hub.verify_token does not match META_VERIFY_TOKEN.');
      res.status(200).type('text/plain').send(q['hub.challenge']);
    },
  );

  documentedWebhook(
    router,
    {
      path: '/webhooks/meta',
      tags: TAGS,
      summary: 'Messenger and Instagram events, signed with X-Hub-Signature-256 (HMAC-SHA256 of the body with META_APP_SECRET)',
      description: 'Answers 200 once every event is durably in Temporal, 503 otherwise so Meta redelivers; redelivery changes nothing.',
      rawBody: { type: 'application/json', schema: WebhookEnvelopeSchema },
      produces: 'text/plain',
      responses: {
        200: 'EVENT_RECEIVED',
        400: 'Not JSON, or not { object, entry: [...] }',
        401: 'X-Hub-Signature-256 missing or wrong',
        503: 'META_APP_SECRET is not set, or Temporal did not take the events',
      },
    },
    {
      limit: '2mb',
      verify: (raw, req) => {
        if (!deps.appSecret) throw disabled();
        if (!verifyMetaSignature(raw, req.get('x-hub-signature-256'), deps.appSecret)) {
          deps.metrics?.webhookEvents.inc({ source: 'meta', outcome: 'bad_signature' });
          throw unauthorized('X-Hub-Signature-256 is missing or does not match the body.');
        }
      },
    },
    async (_req, res, { raw }) => {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError(400, 'malformed-body', 'Malformed webhook body', 'The body is not valid JSON.');
      }
      const parsed = parseMetaWebhook(body);
      if (!parsed) throw new AppError(400, 'malformed-body', 'Malformed webhook body', 'Expected { object, entry: [...] }.');
      if (parsed.malformed) deps.log.warn({ malformed: parsed.malformed }, 'skipped malformed webhook events');

      try {
        await Promise.all(parsed.events.map((e) => handOff(e)));
      } catch (err) {
        deps.log.error({ err: (err as Error).message }, 'could not hand webhook events to Temporal; answering 503 so Meta redelivers');
        deps.metrics?.webhookEvents.inc({ source: 'meta', outcome: 'temporal_unavailable' }, parsed.events.length);
        throw new AppError(503, 'temporarily-unavailable', 'Try again later', 'Events could not be stored durably; Meta will redeliver.');
      }
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    },
  );

  const handOff = async (e: ParsedMetaEvent) => {
    if (e.kind === 'ignored') {
      deps.metrics?.webhookEvents.inc({ source: 'meta', outcome: `ignored_${e.reason}` });
      return;
    }
    // Our own sends echo back carrying our app id or metadata: never treat them as a human reply.
    if (e.kind === 'echo' && (e.metadata === OUR_METADATA || (deps.appId && e.appId === deps.appId))) {
      deps.metrics?.webhookEvents.inc({ source: 'meta', outcome: 'own_echo' });
      return;
    }
    const route = await deps.router.resolve(e.channel, e.accountId);
    if (!route) {
      deps.metrics?.webhookEvents.inc({ source: 'meta', outcome: 'unknown_account' });
      return;
    }
    const key = { businessId: route.businessId, channel: e.channel, contactId: e.contactId } as const;
    const handed =
      e.kind === 'echo'
        ? await deps.dispatcher.echo(key, route.channelId, {
            eventId: e.eventId,
            at: e.at,
            text: e.text,
            fromOurApp: e.appId ? false : 'unknown',
          })
        : await deps.dispatcher.inbound(key, route.channelId, {
            eventId: e.eventId,
            kind: e.type,
            text: e.text,
            at: e.at,
            quickReplyPayload: e.quickReplyPayload,
            attachmentTypes: e.attachmentTypes,
          });
    // An erased or objecting person's event is acknowledged like any other (Meta must stop redelivering) but starts nothing.
    deps.metrics?.webhookEvents.inc({
      source: 'meta',
      outcome: handed.outcome === 'dispatched' ? 'accepted' : `dropped_${handed.outcome}`,
    });
  };

  return router;
};
