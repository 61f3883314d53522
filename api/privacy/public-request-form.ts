/**
 * The public deletion request form. The person is verified through the channel they used: a signed widget
 * session starts the request at once, an email address gets a confirmation link, anyone else is sent to the chat.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { documentedPage, documentedRoute } from '../openapi/route.js';
import { sessionIdsFromConfig } from '../widget/session-id.js';
import type { PrivacyPublicDeps } from './deps.js';
import { mailConfirmationLink } from './email-confirmation.js';
import { answer, type PublicForm } from './form-answer.js';
import { companyOf } from '../pages/layout.js';
import { formPageHtml } from './pages.js';
import { statusUrlOf } from './request-status.js';

const TAGS = ['Privacy'];
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
/** A prefill from the chat's privacy link; anything odd is left out rather than refused. */
const prefill = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/)
  .optional()
  .catch(undefined);

export const publicRequestForm = (router: Router, deps: PrivacyPublicDeps, form: PublicForm) => {
  const { config, models } = deps;
  const sessionIds = sessionIdsFromConfig(config);
  const statusUrl = statusUrlOf(config.PUBLIC_URL);

  documentedPage(
    router,
    {
      path: '/data-deletion',
      tags: TAGS,
      summary: 'The deletion request form (the chat links to it with its key and session)',
      query: z.object({ key: prefill, session: prefill }),
    },
    (_req, res, { query }) => {
      res.type('html').send(formPageHtml({ business: query.key, session: query.session }, companyOf(res)));
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/data-deletion',
      tags: TAGS,
      auth: 'none',
      summary: 'Public deletion request form (widget session, emailed link, or chat instructions)',
      body: FormSchema,
      example: { business: 'pk_demo_key', email: 'dana@example.com' },
      responses: { 200: 'Instructions', 202: 'Request started or confirmation emailed' },
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

      if (f.widgetSessionId) {
        if (!sessionIds.isValid(f.widgetSessionId, business._id))
          return answer(req, res, 400, { error: 'invalid_session' }, 'We could not verify your chat', [
            'Open this form from the privacy link in the chat, or type "delete my data" in the chat.',
          ]);
        const started = await form.start(req, res, {
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
      if (f.email && deps.email) {
        await mailConfirmationLink({ config, email: deps.email, log: deps.log }, { email: f.email, businessId: business._id });
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
