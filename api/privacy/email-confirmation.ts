/**
 * Requests verified by email (every right): the form mails a sealed 24-hour link; opening it shows a button
 * (mail scanners open links and must not start anything), and posting that button starts the request, whose
 * receipt is that moment and whose progress is then mailed to the verified address.
 */
import { createHash } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { deletionConfirmationEmail, privacyRequestVerificationEmail } from '../../domain/emails/index.js';
import { EmailError, type EmailSender } from '../../integrations/email.js';
import type { Logger } from '../../lib/logger.js';
import { documentedPage, documentedRoute } from '../openapi/route.js';
import type { PrivacyRouterDeps } from './deps.js';
import { answer, wantsJson, type PublicForm } from './form-answer.js';
import { FORM_TOKEN_TTL_MS, openFormToken, sealFormToken, type FormClaim } from './form-token.js';
import { companyOf } from '../pages/layout.js';
import { confirmPageHtml } from './pages.js';
import { statusUrlOf } from './request-status.js';

const TAGS = ['Privacy'];
const ConfirmSchema = z.object({ token: z.string().min(1).max(1999) });

/** Mails the confirmation link for `claim`; a refused send is logged, and the caller answers the same either way. */
export const mailConfirmationLink = async (
  deps: { config: PrivacyRouterDeps['config']; email: EmailSender; log: Logger },
  claim: FormClaim,
) => {
  const token = sealFormToken(deps.config.ENCRYPTION_KEY, claim);
  const link = `${deps.config.PUBLIC_URL.replace(/\/+$/, '')}/data-deletion/verify?token=${token}`;
  try {
    const kind = claim.kind ?? 'deletion';
    await deps.email.send({
      ...(kind === 'deletion'
        ? deletionConfirmationEmail({ email: claim.email, link })
        : privacyRequestVerificationEmail({ kind, email: claim.email, link, validHours: FORM_TOKEN_TTL_MS / 3_600_000 })),
      to: [claim.email],
      businessId: claim.businessId,
      // One link, one email: each form submission seals a new token.
      idempotencyKey: `deletion-confirmation:${createHash('sha256').update(token).digest('hex')}`,
    });
  } catch (err) {
    if (!(err instanceof EmailError)) throw err;
    deps.log.warn({ name: err.providerName }, 'deletion confirmation email not sent');
  }
};

const expired = (req: Request, res: Response) =>
  answer(
    req,
    res,
    400,
    { error: 'invalid_token' },
    'This link has expired',
    ['Links are valid for 24 hours. Fill in the form again to get a new one.'],
    { href: '/data-deletion', text: 'Request form' },
  );

export const emailConfirmation = (router: Router, deps: PrivacyRouterDeps, form: PublicForm) => {
  const statusUrl = statusUrlOf(deps.config.PUBLIC_URL);
  documentedPage(
    router,
    {
      path: '/data-deletion/verify',
      tags: TAGS,
      summary: 'The emailed confirmation link: a page with the button that confirms the request',
      query: z.object({ token: z.string().optional().catch(undefined) }),
    },
    (_req, res, { query }) => {
      const kind = query.token ? openFormToken(deps.config.ENCRYPTION_KEY, query.token)?.kind : undefined;
      res.type('html').send(confirmPageHtml(query.token ?? '', companyOf(res), kind));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/data-deletion/verify',
      tags: TAGS,
      auth: 'none',
      summary: 'Confirm a request (any right) with the emailed token: it is received now (a redirect to its status page, or JSON)',
      body: ConfirmSchema,
      responses: {
        202: z.object({ confirmationCode: z.string(), statusUrl: z.string() }),
        303: 'To the status page',
        400: 'Expired or invalid link',
      },
    },
    form.guards,
    async (req, res, { body }) => {
      const claim = openFormToken(deps.config.ENCRYPTION_KEY, body.token);
      if (!claim) return expired(req, res);
      const started = await form.start(req, res, {
        kind: claim.kind,
        source: 'form',
        subject: { email: claim.email },
        businessId: claim.businessId,
        requestedBy: { type: 'subject' },
        dedupeKey: `form:email:${body.token}`,
        ...(claim.correction ? { correction: claim.correction } : {}),
        // Verified just now by the link: the person hears at receipt and at completion.
        notifyEmail: claim.email,
      });
      if (!started) return;
      if (wantsJson(req)) res.status(202).json({ confirmationCode: started.requestId, statusUrl: statusUrl(started.requestId) });
      else res.redirect(303, `/data-deletion/${started.requestId}`);
    },
    { onInvalid: (req, res) => expired(req, res) },
  );
};
