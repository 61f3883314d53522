/**
 * The public widget API (no login), keyed by a business's publishable key: start or resume a session,
 * send a message, long-poll for replies. Every call must come from a page on one of the business's allowed
 * origins; sessions are signed for one business and expire; new sessions are budgeted per client and per business.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Models } from '../../db/models/index.js';
import { messageIdOf } from '../../domain/conversation.js';
import { clientAddressKey, createHourlyLimiter, createRateLimiter, type RateLimiter } from '../../lib/rate-limit.js';
import type { Dispatcher } from '../conversations/dispatch.js';
import { AppError, forbidden, tooManyRequests } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';
import { isOriginAllowed, type WidgetBusiness } from '../widget/business-lookup.js';
import type { DataRequestLink } from '../widget/data-request-link.js';
import { createConversationWatch } from '../widget/conversation-watch.js';
import { PollResultSchema, PollSchema, SendMessageSchema, SentSchema, SessionSchema, StartSessionSchema } from '../widget/schemas.js';
import { messagesAfter } from '../widget/messages-view.js';
import type { SessionIds } from '../widget/session-id.js';

export type WidgetRouteDeps = {
  models: Models;
  dispatcher: Dispatcher;
  lookupBusiness: (key: string) => Promise<WidgetBusiness | null>;
  sessionIds: SessionIds;
  /** New sessions per hour: per client address (IPv6: per /64) and per business. */
  newSessionsPerHour: { perIp: number; perBusiness: number };
  pollIntervalMs?: number;
  /** The chat's link to the request form, tied to its session; absent: the chat shows no such link. */
  dataRequestLink?: DataRequestLink;
};

/** The page the call comes from. Browsers leave Origin off same-origin GETs (the demo page's long-poll) but mark them. */
const pageOrigin = (req: Request) => {
  const origin = req.get('origin');
  if (origin) return origin;
  return req.get('sec-fetch-site') === 'same-origin' ? `${req.protocol}://${req.get('host') ?? ''}` : undefined;
};

const sessionRefused = (why: 'malformed' | 'unknown-key' | 'forged' | 'expired') =>
  why === 'expired'
    ? new AppError(
        401,
        'session-expired',
        'Session expired',
        'This chat session has expired; start a new one with POST /widget/v1/sessions.',
      )
    : new AppError(401, 'invalid-session', 'Unknown session', 'Start a new session with POST /widget/v1/sessions.');

const TAGS = ['Widget'];

export const widgetRouter = (deps: WidgetRouteDeps) => {
  const router = Router();
  const perIp = createRateLimiter({ capacity: 120, refillPerSecond: 2 });
  const perSession = createRateLimiter({ capacity: 8, refillPerSecond: 0.5 });
  const sessionCallsPerIp = createRateLimiter({ capacity: 20, refillPerSecond: 0.2 });
  // Each new session can start a conversation (a model call, an owner alert): budgeted per hour, not just per burst.
  const newSessionsPerIp = createHourlyLimiter(deps.newSessionsPerHour.perIp);
  const newSessionsPerBusiness = createHourlyLimiter(deps.newSessionsPerHour.perBusiness);
  const watch = createConversationWatch(deps.models, deps.pollIntervalMs ?? 400);

  const limit = (limiter: RateLimiter, k: string) => {
    const r = limiter.take(k);
    if (!r.ok) throw tooManyRequests(r.retryAfterSeconds);
  };
  const ipOf = (req: Request) => clientAddressKey(req.ip);

  // Preflight cannot carry the key (it is in the body), so the real request is where the origin is enforced.
  router.options('/widget/v1/{*rest}', (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', req.get('origin') ?? '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.setHeader('Vary', 'Origin');
    res.status(204).end();
  });

  /** Resolves the key, enforces the origin (no origin, no answer) and sets CORS headers for it. */
  const business = async (req: Request, res: Response, k: string) => {
    const b = await deps.lookupBusiness(k);
    if (!b) throw new AppError(403, 'unknown-key', 'Chat is unavailable', 'This publishable key is unknown or the business is inactive.');
    const origin = pageOrigin(req);
    if (!isOriginAllowed(origin, b.allowedOrigins)) {
      throw forbidden(
        origin
          ? `Origin ${origin} is not allowed for this key; add it to the business's allowed origins.`
          : 'The widget API answers only browser requests from an allowed origin (no Origin header was sent).',
      );
    }
    if (req.get('origin')) {
      res.setHeader('Access-Control-Allow-Origin', req.get('origin')!);
      res.setHeader('Vary', 'Origin');
    }
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    return b;
  };
  const requireSession = (b: WidgetBusiness, sid: string) => {
    const checked = deps.sessionIds.check(sid, b.businessId);
    if (!checked.ok) throw sessionRefused(checked.why);
  };
  const keyOf = (b: WidgetBusiness, sid: string) => ({ businessId: b.businessId, channel: 'web' as const, contactId: sid });
  // Async: while ENCRYPTION_KEY rotates, a thread started under the old key keeps its id (api/conversations/thread-ids.ts).
  const conversationIdOf = (b: WidgetBusiness, sid: string) => deps.dispatcher.threadIdFor(keyOf(b, sid));
  // An erased session is over (its messages would be dropped): the visitor gets a new one instead of resuming it.
  const isErased = async (b: WidgetBusiness, sid: string) => Boolean((await deps.dispatcher.tombstoneFor(keyOf(b, sid)))?.erasedAt);

  const body = express.json({ limit: '8kb' });

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/widget/v1/sessions',
      tags: TAGS,
      auth: 'none',
      summary: 'Start a chat session, or resume one with its history (from an allowed origin)',
      body: StartSessionSchema,
      example: { key: 'pk_demo_key' },
      responses: { 200: SessionSchema, 403: 'Unknown key, or an origin the business does not allow', 429: 'Too many new sessions' },
    },
    [body],
    async (req, res, { body: input }) => {
      const b = await business(req, res, input.key);
      limit(sessionCallsPerIp, ipOf(req));
      const resumed =
        input.sessionId !== undefined && deps.sessionIds.isValid(input.sessionId, b.businessId) && !(await isErased(b, input.sessionId))
          ? input.sessionId
          : undefined;
      if (!resumed) {
        limit(newSessionsPerIp, ipOf(req));
        limit(newSessionsPerBusiness, b.businessId);
      }
      const sid = resumed ?? deps.sessionIds.issue(b.businessId);
      // A session issued just now has no conversation yet: nothing to read.
      const history = resumed ? await messagesAfter(deps.models, await conversationIdOf(b, sid), 0) : { messages: [], cursor: 0 };
      res.json({
        sessionId: sid,
        config: {
          businessName: b.name,
          color: b.color,
          greeting: b.greeting,
          privacyUrl: b.privacyUrl,
          ...(deps.dataRequestLink ? { dataRequestUrl: deps.dataRequestLink(b, sid) } : {}),
          aiDisclosure: `You're chatting with an automated assistant for ${b.name}`,
        },
        messages: history.messages,
        cursor: String(history.cursor),
      });
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/widget/v1/messages',
      tags: TAGS,
      auth: 'none',
      summary: "Send the visitor's message; the reply arrives through GET /widget/v1/messages",
      description: 'Sending the same clientMessageId again changes nothing.',
      body: SendMessageSchema,
      example: {
        key: 'pk_demo_key',
        sessionId: 'ws_…',
        text: 'Do you have time on Friday?',
        clientMessageId: '9b2f7c1e-4d3a-4f8b-9a6e-2c1d0e5f7a8b',
      },
      responses: { 202: SentSchema, 401: 'Unknown or expired session', 403: 'Unknown key or origin', 429: 'Too many messages' },
    },
    [body],
    async (req, res, { body: input }) => {
      const b = await business(req, res, input.key);
      requireSession(b, input.sessionId);
      limit(perIp, ipOf(req));
      limit(perSession, input.sessionId);
      const at = Date.now();
      // An erased or objecting visitor's message is answered alike but starts nothing (lib/privacy-tombstones.ts).
      const handed = await deps.dispatcher.inbound(keyOf(b, input.sessionId), b.publishableKey, {
        eventId: input.clientMessageId,
        kind: 'message',
        text: input.text,
        at,
      });
      const conversationId = handed.outcome === 'dispatched' ? handed.workflowId : deps.dispatcher.workflowIdFor(keyOf(b, input.sessionId));
      res.status(202).json({
        message: {
          id: messageIdOf(conversationId, input.clientMessageId),
          clientMessageId: input.clientMessageId,
          direction: 'inbound',
          author: 'visitor',
          text: input.text,
          createdAt: new Date(at).toISOString(),
        },
      });
    },
  );

  // Reads the conversation's marker, then its messages; while nothing is new it waits on the shared watch,
  // and reads the messages again only when the marker moved: two queries per poll plus one per wake-up.
  documentedRoute(
    router,
    {
      method: 'get',
      path: '/widget/v1/messages',
      tags: TAGS,
      auth: 'none',
      summary: 'Long-poll for messages after a cursor (answers at once when there are some, else within `wait` seconds)',
      query: PollSchema,
      responses: { 200: PollResultSchema, 401: 'Unknown or expired session', 403: 'Unknown key or origin', 429: 'Too many polls' },
    },
    [],
    async (req, res, { query: q }) => {
      const b = await business(req, res, q.key);
      requireSession(b, q.sessionId);
      limit(perIp, ipOf(req));
      const conversationId = await conversationIdOf(b, q.sessionId);
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      let head = await watch.head(conversationId);
      const startedTyping = head?.typing ?? false;
      let result = await messagesAfter(deps.models, conversationId, q.after ?? 0);
      const deadline = Date.now() + q.wait * 1000;
      while (result.messages.length === 0 && (head?.typing ?? false) === startedTyping && Date.now() < deadline) {
        const next = await watch.waitForChange(conversationId, head, deadline, gone.signal);
        if (!next.changed) break;
        head = next.head;
        result = await messagesAfter(deps.models, conversationId, result.cursor);
      }
      if (gone.signal.aborted) return;
      res.json({ messages: result.messages, cursor: String(result.cursor), typing: head?.typing ?? false });
    },
  );

  return router;
};
