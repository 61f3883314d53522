/**
 * Data deletion intake, all feeding the same DataDeletionWorkflow: Meta's signed callback, the public
 * status page (read from privacy_requests, never from Temporal), and the public form, which verifies
 * the person through the channel they used (signed widget session, emailed link, or the chat itself).
 */
import { createHash } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { EmailError, emailSenderFrom } from '../../integrations/email.js';
import { createRateLimiter } from '../../lib/rate-limit.js';
import { isTemporalUnavailable } from '../../temporal/deadline.js';
import { startPrivacyRequest, type StartPrivacyRequest } from '../../starters/privacy-requests.js';
import { AppError, tooManyRequests } from '../errors.js';
import { registerRoute } from '../openapi/registry.js';
import { verifySignedRequest } from '../meta/signed-request.js';
import {
  confirmPageHtml,
  formPageHtml,
  messagePageHtml,
  notFoundPageHtml,
  statusPageHtml,
  type PublicRequestStatus,
} from '../privacy/pages.js';
import { companyOf } from '../pages/layout.js';
import { openFormToken, sealFormToken } from '../privacy/form-token.js';
import { sessionIdsFromConfig } from '../widget/session-id.js';
import { disabledMeta, type PrivacyRouterDeps } from './deauthorize.js';

const CODE = /^[a-f0-9]{24}$/;
const FormSchema = z.object({
  business: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be the business chat key (pk_…) or id'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email())
    .optional()
    .or(z.literal('').transform(() => undefined)),
  phone: z.string().trim().max(40).optional(),
  widgetSessionId: z.string().trim().max(100).optional(),
});

const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
  fn(req, res).catch(next);
const wantsJson = (req: Request) => Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';

const PublicStatusSchema = z.object({
  confirmationCode: z.string(),
  kind: z.string(),
  status: z.enum(['received', 'in_progress', 'completed', 'overdue']),
  receivedAt: z.string(),
  dueAt: z.string(),
  completedAt: z.string().nullable(),
  stepsCompleted: z.number(),
});

const documentPublicRoutes = () => {
  const tags = ['Privacy'];
  registerRoute({
    method: 'post',
    path: '/webhooks/meta/data-deletion',
    tags,
    auth: 'none',
    summary: "Meta's data deletion callback (form field signed_request)",
    description: 'application/x-www-form-urlencoded `signed_request`, verified with META_APP_SECRET; answers { url, confirmation_code }.',
    responses: {
      200: z.object({ url: z.string(), confirmation_code: z.string() }),
      400: 'signed_request missing, forged or not HMAC-SHA256',
    },
  });
  registerRoute({
    method: 'post',
    path: '/webhooks/meta/deauthorize',
    tags,
    auth: 'none',
    summary: "Meta's deauthorize callback (signed_request): the person's channels need reconnecting",
    responses: { 200: 'Grants marked revoked', 400: 'Invalid signed_request' },
  });
  registerRoute({
    method: 'post',
    path: '/data-deletion',
    tags,
    auth: 'none',
    summary: 'Public deletion request form (widget session, emailed link, or chat instructions)',
    body: FormSchema,
    responses: { 200: 'Instructions', 202: 'Request started or confirmation emailed' },
  });
  registerRoute({
    method: 'get',
    path: '/data-deletion/:code',
    tags,
    auth: 'none',
    summary: 'Status of a privacy request by confirmation code (HTML, or JSON with Accept: application/json)',
    params: z.object({ code: z.string().regex(CODE) }),
    responses: { 200: PublicStatusSchema },
    skipTenantWalk: 'public page keyed by an unguessable code',
  });
};

export const dataDeletionRouter = (deps: PrivacyRouterDeps) => {
  documentPublicRoutes();
  const router = Router();
  const { config, models } = deps;
  const base = config.PUBLIC_URL.replace(/\/+$/, '');
  const starter = { ...deps.temporal, models, keyRing: config.ENCRYPTION_KEY };
  const sessionIds = sessionIdsFromConfig(config);
  const email = emailSenderFrom(config);
  const perIp = createRateLimiter({ capacity: 10, refillPerSecond: 0.05 });
  const formBody = [express.urlencoded({ extended: false, limit: '8kb' }), express.json({ limit: '8kb' })];
  const statusUrl = (code: string) => `${base}/data-deletion/${code}`;

  /** Same answer shape for browsers (a page) and scripts (JSON). */
  const answer = (
    req: Request,
    res: Response,
    status: number,
    json: Record<string, unknown>,
    title: string,
    lines: string[],
    link?: { href: string; text: string },
  ) => {
    if (wantsJson(req)) res.status(status).json(json);
    else
      res
        .status(status)
        .type('html')
        .send(messagePageHtml(title, lines, link, companyOf(res)));
  };
  /** Temporal did not answer in time: the person gets a "try again" page in the form's own shape, not a problem document. */
  const startFromForm = async (req: Request, res: Response, r: StartPrivacyRequest) => {
    try {
      return await startPrivacyRequest(starter, r);
    } catch (err) {
      if (!isTemporalUnavailable(err)) throw err;
      deps.log.warn({ err: (err as Error).message }, 'deletion form: Temporal did not answer in time; answering 503');
      res.setHeader('Retry-After', '5');
      answer(req, res, 503, { error: 'temporarily_unavailable' }, 'Please try again', [
        'We could not record your request just now. Send it again in a minute; it will not be counted twice.',
      ]);
      return undefined;
    }
  };
  const limitIp = (req: Request) => {
    const r = perIp.take(req.ip ?? 'unknown');
    if (!r.ok) throw tooManyRequests(r.retryAfterSeconds);
  };

  router.post(
    '/webhooks/meta/data-deletion',
    express.urlencoded({ extended: false, limit: '16kb' }),
    wrap(async (req, res) => {
      if (!config.META_APP_SECRET) throw disabledMeta();
      const verified = verifySignedRequest((req.body as Record<string, unknown> | undefined)?.signed_request, config.META_APP_SECRET);
      if (!verified.ok)
        throw new AppError(400, 'invalid-signed-request', 'Invalid signed_request', `${verified.reason}; nothing was started.`);
      const { user_id: asid, issued_at: issuedAt } = verified.payload;
      // Keyed by user and issue time: Meta redelivering the same request lands on the same id, row and workflow.
      const started = await startPrivacyRequest(starter, {
        kind: 'deletion',
        source: 'meta_callback',
        subject: { asid },
        requestedBy: { type: 'meta' },
        dedupeKey: `meta:${asid}:${issuedAt ?? 'none'}`,
      }).catch((err: unknown) => {
        deps.log.error({ err: (err as Error).message }, 'could not start a data deletion request');
        throw new AppError(
          503,
          'temporarily-unavailable',
          'Try again later',
          'The request could not be recorded durably; Meta will retry.',
        );
      });
      res.json({ url: statusUrl(started.requestId), confirmation_code: started.requestId });
    }),
  );

  router.get('/data-deletion', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const pick = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9_.-]{1,100}$/.test(v) ? v : undefined);
    res.type('html').send(formPageHtml({ business: pick(q.key), session: pick(q.session) }, companyOf(res)));
  });

  router.post(
    '/data-deletion',
    ...formBody,
    wrap(async (req, res) => {
      limitIp(req);
      const parsed = FormSchema.safeParse(req.body ?? {});
      if (!parsed.success)
        return answer(
          req,
          res,
          400,
          { error: 'invalid_form', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
          'Please check the form',
          ['Give the business and at least one way to verify you.'],
        );
      const f = parsed.data;
      const business = await models.Business.findOne(
        { $or: [{ publishableKey: f.business }, { _id: f.business }], status: { $ne: 'closed' } },
        { _id: 1 },
      ).lean();
      if (!business)
        return answer(req, res, 400, { error: 'unknown_business' }, 'Unknown business', [
          'We could not find that business. Use the link from its chat or privacy notice.',
        ]);

      if (f.widgetSessionId) {
        if (!sessionIds.isValid(f.widgetSessionId, business._id))
          return answer(req, res, 400, { error: 'invalid_session' }, 'We could not verify your chat', [
            'Open this form from the privacy link in the chat, or type "delete my data" in the chat.',
          ]);
        const started = await startFromForm(req, res, {
          kind: 'deletion',
          source: 'form',
          subject: { contacts: [{ channel: 'web', contactId: f.widgetSessionId }] },
          businessId: business._id,
          requestedBy: { type: 'subject' },
          dedupeKey: `form:web:${business._id}:${f.widgetSessionId}:${new Date().toISOString().slice(0, 10)}`,
        });
        if (!started) return;
        return answer(
          req,
          res,
          202,
          { verification: 'widget_session', confirmationCode: started.requestId, statusUrl: statusUrl(started.requestId) },
          'Request received',
          [`Your confirmation code is ${started.requestId}.`],
          { href: statusUrl(started.requestId), text: 'Follow its status' },
        );
      }
      if (f.email && email) {
        const token = sealFormToken(config.ENCRYPTION_KEY, { email: f.email, businessId: business._id });
        const link = `${base}/data-deletion/verify?token=${token}`;
        try {
          await email.send({
            to: [f.email],
            subject: 'Confirm your data deletion request',
            text: `Someone asked for the data held about ${f.email} to be deleted. If that was you, confirm within 24 hours:\n\n${link}\n\nIf it was not you, ignore this email; nothing will be deleted.`,
            // One link, one email: each form submission seals a new token.
            idempotencyKey: `deletion-confirmation:${createHash('sha256').update(token).digest('hex')}`,
          });
        } catch (err) {
          if (!(err instanceof EmailError)) throw err;
          deps.log.warn({ name: err.providerName }, 'deletion confirmation email not sent');
        }
        // The same answer whether or not we hold anything on that address.
        return answer(req, res, 202, { verification: 'email_sent' }, 'Check your inbox', [
          'If the address is right, a confirmation link is on its way. It is valid for 24 hours.',
        ]);
      }
      return answer(
        req,
        res,
        200,
        {
          verification: 'chat',
          instructions: 'Send "delete my data" in the conversation you had with the business (Messenger, Instagram or the website chat).',
        },
        'Ask in the chat',
        [
          'To be sure it is you, send "delete my data" in the conversation you had with the business — on Messenger, Instagram or the website chat. We reply there with your confirmation.',
        ],
      );
    }),
  );

  // Before `/:code`. The GET only shows a button: mail scanners open links, and must not delete anything.
  router.get('/data-deletion/verify', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    res.type('html').send(confirmPageHtml(token, companyOf(res)));
  });

  router.post(
    '/data-deletion/verify',
    ...formBody,
    wrap(async (req, res) => {
      limitIp(req);
      const token = String((req.body as Record<string, unknown> | undefined)?.token ?? '');
      const claim = token.length < 2000 ? openFormToken(config.ENCRYPTION_KEY, token) : undefined;
      if (!claim)
        return answer(
          req,
          res,
          400,
          { error: 'invalid_token' },
          'This link has expired',
          ['Links are valid for 24 hours. Fill in the form again to get a new one.'],
          { href: '/data-deletion', text: 'Request form' },
        );
      const started = await startFromForm(req, res, {
        kind: 'deletion',
        source: 'form',
        subject: { email: claim.email },
        businessId: claim.businessId,
        requestedBy: { type: 'subject' },
        dedupeKey: `form:email:${token}`,
      });
      if (!started) return;
      if (wantsJson(req)) res.status(202).json({ confirmationCode: started.requestId, statusUrl: statusUrl(started.requestId) });
      else res.redirect(303, `/data-deletion/${started.requestId}`);
    }),
  );

  router.get(
    '/data-deletion/:code',
    wrap(async (req, res) => {
      const code = String(req.params.code);
      res.setHeader('cache-control', 'no-store');
      const doc = CODE.test(code)
        ? await models.PrivacyRequest.findById(code, { kind: 1, status: 1, receivedAt: 1, dueAt: 1, completedAt: 1, steps: 1 }).lean()
        : null;
      if (!doc) {
        if (wantsJson(req)) throw new AppError(404, 'not-found', 'Not found', 'No request has this confirmation code.');
        res
          .status(404)
          .type('html')
          .send(notFoundPageHtml(companyOf(res)));
        return;
      }
      const view: PublicRequestStatus & z.infer<typeof PublicStatusSchema> = {
        confirmationCode: doc._id,
        kind: doc.kind,
        status: doc.status,
        receivedAt: doc.receivedAt.toISOString(),
        dueAt: doc.dueAt.toISOString(),
        completedAt: doc.completedAt?.toISOString() ?? null,
        stepsCompleted: doc.steps?.length ?? 0,
      };
      if (wantsJson(req)) res.json(view);
      else res.type('html').send(statusPageHtml(view, companyOf(res)));
    }),
  );

  return router;
};
