/**
 * The public request form, for every right (access, correction, deletion, restriction, objection), usable without
 * staff. The person is verified through the channel they used: the chat's signed link (or a signed widget session)
 * starts the request at once, an email address gets a confirmation link, anyone else is sent to the chat.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { PRIVACY_REQUEST_KINDS } from '../../db/models/privacy-request.js';
import type { LeadCorrection } from '../../domain/privacy-requests.js';
import { documentedPage, documentedRoute } from '../openapi/route.js';
import { sessionIdsFromConfig } from '../widget/session-id.js';
import { openChatLinkToken } from './chat-link-token.js';
import type { PrivacyPublicDeps } from './deps.js';
import { mailConfirmationLink } from './email-confirmation.js';
import { answer, type PublicForm } from './form-answer.js';
import { companyOf } from '../pages/layout.js';
import { formPageHtml } from './pages.js';
import { statusUrlOf } from './request-status.js';

const TAGS = ['Privacy'];
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);
const optionalEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email())
  .optional()
  .or(z.literal('').transform(() => undefined));

const FormSchema = z.object({
  kind: z.enum(PRIVACY_REQUEST_KINDS).default('deletion'),
  business: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be the business chat key (pk_…) or id'),
  email: optionalEmail,
  phone: z.string().trim().max(40).optional(),
  /** The chat's signed link token (the "Your data" link of the website chat). */
  chat: optionalText(1000),
  /** A signed widget session id, for scripts embedding the chat. */
  widgetSessionId: optionalText(100),
  correctName: optionalText(200),
  correctEmail: optionalEmail,
  correctPhone: optionalText(40),
});
type Form = z.infer<typeof FormSchema>;

/** A prefill from a link; anything odd is left out rather than refused. */
const prefill = (max: number) =>
  z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9_.-]{1,${max}}$`))
    .optional()
    .catch(undefined);

const correctionOf = (f: Form): LeadCorrection | undefined => {
  const c = { name: f.correctName, email: f.correctEmail, phone: f.correctPhone };
  const given = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as LeadCorrection;
  return Object.keys(given).length > 0 ? given : undefined;
};

export const publicRequestForm = (router: Router, deps: PrivacyPublicDeps, form: PublicForm) => {
  const { config, models } = deps;
  const sessionIds = sessionIdsFromConfig(config);
  const statusUrl = statusUrlOf(config.PUBLIC_URL);

  for (const path of ['/data-deletion', '/data-requests'])
    documentedPage(
      router,
      {
        path,
        tags: TAGS,
        summary: 'The request form for every right (the chat links to it with its key and a signed link token)',
        query: z.object({ key: prefill(100), chat: prefill(1000), right: z.enum(PRIVACY_REQUEST_KINDS).optional().catch(undefined) }),
      },
      (_req, res, { query }) => {
        res.type('html').send(formPageHtml({ business: query.key, chat: query.chat, kind: query.right }, companyOf(res)));
      },
    );

  /** The chat session the form proves, if any: from the chat's link token, or a signed session id. */
  const chatSessionOf = (f: Form, businessId: string): { sessionId?: string; isRefused: boolean } => {
    if (f.chat) {
      const claim = openChatLinkToken(config.ENCRYPTION_KEY, f.chat);
      const isValid = claim !== undefined && claim.businessId === businessId && sessionIds.isValid(claim.sessionId, businessId);
      return isValid ? { sessionId: claim.sessionId, isRefused: false } : { isRefused: true };
    }
    if (f.widgetSessionId)
      return sessionIds.isValid(f.widgetSessionId, businessId) ? { sessionId: f.widgetSessionId, isRefused: false } : { isRefused: true };
    return { isRefused: false };
  };

  for (const path of ['/data-requests', '/data-deletion'])
    documentedRoute(
      router,
      {
        method: 'post',
        path,
        tags: TAGS,
        auth: 'none',
        summary: 'Public request form for every right (chat link or widget session, emailed link, or chat instructions)',
        body: FormSchema,
        example: { kind: 'access', business: 'pk_demo_key', email: 'dana@example.com' },
        responses: { 200: 'Instructions', 202: 'Request started (its confirmation code) or confirmation emailed' },
      },
      form.guards,
      async (req, res, { body: f }) => {
        const business = await models.Business.findOne(
          { $or: [{ publishableKey: f.business }, { _id: f.business }], status: { $ne: 'closed' } },
          { _id: 1 },
        ).lean();
        if (!business)
          return answer(req, res, 400, { error: 'unknown_business' }, 'Unknown business', [
            'We could not find that business. Use the link from its chat or privacy notice.',
          ]);
        const correction = correctionOf(f);
        if (f.kind === 'correction' && !correction)
          return answer(
            req,
            res,
            400,
            { error: 'invalid_form', detail: 'correction: give at least one right value' },
            'Please check the form',
            ['For a correction, give at least one of the right name, email or phone.'],
          );

        const chat = chatSessionOf(f, business._id);
        if (chat.isRefused)
          return answer(req, res, 400, { error: 'invalid_session' }, 'We could not verify your chat', [
            'The link from the chat is valid for two hours. Open it again from the chat, or give your email address instead.',
          ]);
        if (chat.sessionId) {
          const started = await form.start(req, res, {
            kind: f.kind,
            source: 'form',
            subject: { contacts: [{ channel: 'web', contactId: chat.sessionId }] },
            businessId: business._id,
            requestedBy: { type: 'subject' },
            ...(correction ? { correction } : {}),
            dedupeKey: `form:web:${f.kind === 'deletion' ? '' : `${f.kind}:`}${business._id}:${chat.sessionId}:${new Date().toISOString().slice(0, 10)}`,
          });
          if (!started) return;
          return answer(
            req,
            res,
            202,
            { verification: 'widget_session', confirmationCode: started.requestId, statusUrl: statusUrl(started.requestId) },
            'Request received',
            [`Your confirmation code is ${started.requestId}. Keep it to follow your request.`],
            { href: statusUrl(started.requestId), text: 'Follow its status' },
          );
        }
        if (f.email && deps.email) {
          await mailConfirmationLink(
            { config, email: deps.email, log: deps.log },
            { email: f.email, businessId: business._id, kind: f.kind, ...(correction ? { correction } : {}) },
          );
          // The same answer whether or not we hold anything on that address.
          return answer(req, res, 202, { verification: 'email_sent' }, 'Check your inbox', [
            'If the address is right, a confirmation link is on its way. It is valid for 24 hours; your request is received when you confirm it.',
          ]);
        }
        return answer(
          req,
          res,
          200,
          {
            verification: 'chat',
            instructions:
              'Send "delete my data" in the conversation you had with the business (Messenger, Instagram or the website chat), or give your email address.',
          },
          'Ask in the chat',
          [
            'To be sure it is you, send "delete my data" in the conversation you had with the business — on Messenger, Instagram or the website chat. We reply there with your confirmation code. For your other rights, give the email address you shared with the business.',
          ],
        );
      },
      {
        onInvalid: (req, res, issues) =>
          answer(
            req,
            res,
            400,
            { error: 'invalid_form', detail: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
            'Please check the form',
            ['Give the business and at least one way to verify you.'],
          ),
      },
    );
};
