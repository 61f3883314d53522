/**
 * What the public deletion form and its emailed link share: one answer for browsers (a page) and scripts (JSON),
 * a per-address budget, and starting the request with a "try again" page when Temporal does not answer.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { createRateLimiter } from '../../lib/rate-limit.js';
import { isTemporalUnavailable } from '../../temporal/deadline.js';
import { startPrivacyRequest, type StartedPrivacyRequest, type StartPrivacyRequest } from '../../starters/privacy-requests.js';
import { tooManyRequests } from '../errors.js';
import { companyOf } from '../pages/layout.js';
import { messagePageHtml } from './pages.js';
import type { PrivacyRouterDeps } from './deps.js';

export const wantsJson = (req: Request) => Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';

/** Same answer shape for browsers (a page) and scripts (JSON). */
export const answer = (
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

export type PublicForm = {
  /** Body parsers then the per-address budget: the guards of every form POST. */
  guards: RequestHandler[];
  /** Undefined when Temporal did not answer in time: the person then already has a "try again" answer. */
  start: (req: Request, res: Response, r: StartPrivacyRequest) => Promise<StartedPrivacyRequest | undefined>;
};

export const createPublicForm = (deps: PrivacyRouterDeps): PublicForm => {
  const starter = { ...deps.temporal, models: deps.models, keyRing: deps.config.ENCRYPTION_KEY };
  // One budget for the form and the confirmation link together.
  const perIp = createRateLimiter({ capacity: 10, refillPerSecond: 0.05 });
  const limitIp: RequestHandler = (req, _res, next) => {
    const r = perIp.take(req.ip ?? 'unknown');
    if (!r.ok) throw tooManyRequests(r.retryAfterSeconds);
    next();
  };
  return {
    guards: [express.urlencoded({ extended: false, limit: '8kb' }), express.json({ limit: '8kb' }), limitIp],
    // Temporal did not answer in time: the person gets a "try again" page in the form's own shape, not a problem document.
    async start(req, res, r) {
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
    },
  };
};
