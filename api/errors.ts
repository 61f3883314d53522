/** One error type for the API and one mapper to RFC 9457 problem documents; unknown errors never leak details. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../lib/logger.js';
import type { PlanLimitRefusal } from '../domain/plan-limits.js';
import { isTemporalUnavailable } from '../temporal/deadline.js';

const PROBLEM_BASE = 'https://luxleads.ai/problems/';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) =>
  new AppError(400, 'validation-error', 'Your request is not valid', detail, extra);
export const notFound = (what = 'resource') =>
  new AppError(404, 'not-found', 'Not found', `No such ${what}, or it belongs to another business.`);
export const unauthorized = (detail = 'Send a valid bearer token in the Authorization header.') =>
  new AppError(401, 'unauthorized', 'Authentication required', detail);
export const forbidden = (detail: string) => new AppError(403, 'forbidden', 'Not allowed', detail);
export const conflict = (detail: string) => new AppError(409, 'conflict', 'Conflict', detail);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'rate-limited', 'Too many requests', `Slow down and retry after ${retryAfterSeconds} seconds.`, {
    retryAfter: retryAfterSeconds,
  });
/**
 * 402 with `code: plan_limit`: the plan does not allow one more channel or seat. `detail` names the plan, the limit
 * and what to do (upgrade on the billing page, or free a slot); `resource`, `plan`, `used` and `limit` say it for code.
 */
export const planLimitReached = (r: PlanLimitRefusal, billingPageUrl: string, by: 'owner' | 'invitee' = 'owner') => {
  const what =
    r.resource === 'channels'
      ? `${r.limit} connected channel${r.limit === 1 ? '' : 's'} (Facebook Pages and Instagram accounts; the website chat is always included)`
      : `${r.limit} seat${r.limit === 1 ? '' : 's'} (members, the owner included, and pending invitations)`;
  const inUse = `${r.used} ${r.used === 1 ? 'is' : 'are'} in use`;
  const free = r.resource === 'channels' ? 'disconnect a channel' : 'remove a member';
  const todo =
    by === 'owner'
      ? `Upgrade at ${billingPageUrl}, or ${free} first.`
      : `Ask an owner of the business to upgrade at ${billingPageUrl} or to ${free}; this invitation stays valid until it expires.`;
  return new AppError(402, 'plan-limit', 'Plan limit reached', `The ${r.plan.name} plan includes ${what} and ${inUse}. ${todo}`, {
    code: 'plan_limit',
    resource: r.resource,
    plan: r.plan.id,
    used: r.used,
    limit: r.limit,
  });
};
export const unavailable = (detail: string) => new AppError(503, 'unavailable', 'Temporarily unavailable', detail);
/** A call to Temporal missed its deadline or found no server: an outage to wait out, not a bug. */
export const temporalUnavailable = () =>
  new AppError(
    503,
    'temporarily-unavailable',
    'Try again later',
    'The workflow service did not answer in time; send the request again in a few seconds.',
    { retryAfter: 5 },
  );

export const problemBody = (err: AppError, instance?: string) => ({
  type: PROBLEM_BASE + err.slug,
  title: err.title,
  status: err.status,
  ...(err.detail ? { detail: err.detail } : {}),
  ...(instance ? { instance } : {}),
  ...err.extra,
});

export const notFoundHandler: RequestHandler = (req, _res, next) =>
  next(new AppError(404, 'not-found', 'Not found', `No route for ${req.method} ${req.path}.`));

export const errorHandler =
  (log: Logger): ErrorRequestHandler =>
  (err: unknown, req, res, _next) => {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if (isTemporalUnavailable(err)) {
      log.warn({ err: (err as Error).message, reqId: req.id, path: req.path }, 'Temporal did not answer in time; answering 503');
      appErr = temporalUnavailable();
    } else if (isBodyParserError(err))
      appErr = new AppError(
        err.status,
        err.status === 413 ? 'payload-too-large' : 'malformed-body',
        err.status === 413 ? 'Payload too large' : 'Malformed request body',
        err.status === 413 ? 'Send a smaller body.' : 'The body is not valid JSON.',
      );
    else {
      log.error(
        {
          err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack },
          reqId: req.id,
          path: req.path,
        },
        'unhandled error',
      );
      appErr = new AppError(
        500,
        'internal',
        'Internal error',
        'Something went wrong on our side; retry later, and quote the request id if it persists.',
      );
    }
    if ((appErr.status === 429 || appErr.status === 503) && typeof appErr.extra.retryAfter === 'number')
      res.setHeader('Retry-After', String(appErr.extra.retryAfter));
    res
      .status(appErr.status)
      .type('application/problem+json')
      .send(JSON.stringify(problemBody(appErr, req.id)));
  };

const isBodyParserError = (err: unknown): err is { status: number; type: string } =>
  typeof err === 'object' &&
  err !== null &&
  'type' in err &&
  'status' in err &&
  typeof (err as { status: unknown }).status === 'number' &&
  (err as { status: number }).status < 500;
