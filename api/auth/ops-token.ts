/** Ops-only endpoints (payload codec, /metrics): `Authorization: Bearer <OPS_TOKEN>`, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { unauthorized, unavailable } from '../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time string comparison; digests first, so the lengths need not match and are not leaked. */
export const isSameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

export const requireOpsToken =
  (opsToken: string | undefined, what: string): RequestHandler =>
  (req, _res, next) => {
    if (!opsToken) return next(unavailable(`${what} is disabled: set OPS_TOKEN to enable it.`));
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization')?.trim() ?? '');
    if (!match || !isSameSecret(match[1]!, opsToken)) return next(unauthorized('Send Authorization: Bearer <OPS_TOKEN>.'));
    next();
  };
