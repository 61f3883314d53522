/** Live updates for the web app's inbox and leads: a long-poll that answers as soon as something of the business changed. */
import { Router } from 'express';
import { z } from 'zod';
import type { Models } from '../../db/models/index.js';
import type { AuthDeps } from '../auth/deps.js';
import { authenticate, requireBusiness } from '../auth/middleware.js';
import { createBusinessWatch } from '../conversations/business-watch.js';
import { documentedRoute } from '../openapi/route.js';
import { BusinessParamsSchema } from '../schemas/common.js';

export const INBOX_POLL_MAX_SECONDS = 25;

const ChangesQuerySchema = z.strictObject({
  since: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the cursor from the previous answer')
    .transform(Number)
    .optional()
    .describe('cursor of the previous answer; without it the answer is immediate and only gives the cursor'),
  wait: z.coerce.number().int().min(0).max(INBOX_POLL_MAX_SECONDS).default(INBOX_POLL_MAX_SECONDS).describe('seconds to wait at most'),
});
const ChangesSchema = z.object({
  changed: z.boolean(),
  cursor: z.string().describe('send it as `since` next time'),
  conversationIds: z.array(z.string()).describe('conversations that changed (newest first, at most 50)'),
});

export const inboxWatchRouter = (deps: { models: Models; auth: AuthDeps; pollIntervalMs?: number }) => {
  const router = Router();
  const { auth } = deps;
  const watch = createBusinessWatch(deps.models, deps.pollIntervalMs ?? 1000);

  documentedRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/businesses/:businessId/inbox/changes',
      tags: ['Conversations'],
      summary: 'Long-poll: answers when a conversation or lead of this business changed after `since` (or after `wait` seconds)',
      description:
        'Start without `since` to get a cursor, then call again with it: the answer comes as soon as anything changed (`changed: true`, with the conversations to reload) or after `wait` seconds with `changed: false`.',
      params: BusinessParamsSchema,
      query: ChangesQuerySchema,
      responses: { 200: ChangesSchema },
    },
    [authenticate(auth), requireBusiness(auth)],
    async (_req, res, { params, query }) => {
      res.setHeader('cache-control', 'no-store');
      if (query.since === undefined) {
        res.json({ changed: false, cursor: String(await watch.cursorNow(params.businessId)), conversationIds: [] });
        return;
      }
      const aborted = new AbortController();
      res.on('close', () => aborted.abort());
      const change = await watch.waitForChange(params.businessId, query.since, Date.now() + query.wait * 1000, aborted.signal);
      if (aborted.signal.aborted) return;
      res.json(
        change
          ? { changed: true, cursor: String(change.cursor), conversationIds: change.conversationIds }
          : { changed: false, cursor: String(query.since), conversationIds: [] },
      );
    },
  );
  return router;
};
