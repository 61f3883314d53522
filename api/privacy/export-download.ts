/**
 * An access request's export, delivered to the person: the completion email links here with a token whose hash the
 * request row holds. Opening the link shows a button (mail scanners open links and must not use up the download);
 * posting it downloads the JSON once, before the link expires.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { writeAudit } from '../../domain/audit.js';
import { exportContext } from '../../domain/encryption-contexts.js';
import { exportLinkHashOf } from '../../domain/privacy-request-ids.js';
import { decryptString } from '../../lib/crypto.js';
import { documentedPage, documentedRoute } from '../openapi/route.js';
import { companyOf, escapeHtml, renderPublicPage } from '../pages/layout.js';
import type { PrivacyRouterDeps } from './deps.js';
import { answer, type PublicForm } from './form-answer.js';

const TAGS = ['Privacy'];
const TokenSchema = z.object({ token: z.string().regex(/^[a-f0-9]{16,128}$/) });

const gone = (req: Request, res: Response) =>
  answer(
    req,
    res,
    410,
    { error: 'link_expired_or_used' },
    'This download link no longer works',
    ['Each link works once and for 7 days. To get your data again, make a new request with the form.'],
    { href: '/data-requests?right=access', text: 'Request form' },
  );

export const exportDownload = (router: Router, deps: PrivacyRouterDeps, form: PublicForm) => {
  const { models, config } = deps;

  documentedPage(
    router,
    {
      path: '/data-requests/export',
      tags: TAGS,
      summary: 'The emailed download link of an access export: a page with the button that downloads it',
      query: z.object({ token: z.string().optional().catch(undefined) }),
    },
    (_req, res, { query }) => {
      res.type('html').send(
        renderPublicPage({
          title: 'Download your data',
          isPrivate: true,
          company: companyOf(res),
          body: `<h1>Download your data</h1><p>The file holds what the business kept about you, as JSON. The link works once.</p>
<form method="post" action="/data-requests/export"><input type="hidden" name="token" value="${escapeHtml(query.token ?? '')}"><button type="submit">Download my data</button></form>`,
        }),
      );
    },
  );

  documentedRoute(
    router,
    {
      method: 'post',
      path: '/data-requests/export',
      tags: TAGS,
      auth: 'none',
      summary: 'Download an access export with its emailed token, once, before it expires',
      body: TokenSchema,
      responses: { 200: 'application/json attachment: everything held on the person', 410: 'Expired, used or unknown link' },
    },
    form.guards,
    async (req, res, { body }) => {
      const now = new Date();
      const filter = { exportLinkHash: exportLinkHashOf(body.token), exportLinkExpiresAt: { $gt: now }, exportLinkUsedAt: null };
      // Used up by a conditional write (FerretDB has no findAndModify with a projection): two clicks at once, one download.
      const claimed = await models.PrivacyRequest.findOne(filter, { _id: 1 }).lean();
      const isClaimed =
        claimed &&
        (await models.PrivacyRequest.updateOne({ _id: claimed._id, ...filter }, { $set: { exportLinkUsedAt: now } })).modifiedCount === 1;
      const row = isClaimed ? await models.PrivacyRequest.findById(claimed._id).select('+exportSealed').lean() : null;
      if (!row?.exportSealed) return gone(req, res);
      await writeAudit(models, {
        key: `${row._id}:export_link_used`,
        actorType: 'system',
        businessId: row.businessId ?? undefined,
        action: 'privacy.access.export_downloaded',
        target: row.subjectHash,
        details: { requestId: row._id, via: 'emailed_link' },
      });
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-disposition', `attachment; filename="my-data-${row._id}.json"`);
      res.type('application/json').send(decryptString(config.ENCRYPTION_KEY, row.exportSealed, exportContext(row._id)));
    },
    { onInvalid: (req, res) => gone(req, res) },
  );
};
