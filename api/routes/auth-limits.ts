/** Request budgets of the account routes (in-process token buckets, per API replica); tests pass tighter ones. */
import type { Request } from 'express';
import { createRateLimiter, type RateLimiter } from '../../lib/rate-limit.js';
import { tooManyRequests } from '../errors.js';

export type AuthRouteLimits = {
  signupPerIp: RateLimiter;
  signupPerEmail: RateLimiter;
  loginPerIp: RateLimiter;
  refreshPerIp: RateLimiter;
  /** Links mailed to one address or account (verification, reset): past it nothing is mailed, the answer stays the same. */
  mailPerAddress: RateLimiter;
  /** Emailed tokens presented (verify, reset, accept invitation): guessing is pointless, but not free either. */
  tokenPerIp: RateLimiter;
  /** Password changes and verification resends of one logged-in user. */
  accountPerUser: RateLimiter;
};

export const defaultAuthLimits = (): AuthRouteLimits => ({
  signupPerIp: createRateLimiter({ capacity: 10, refillPerSecond: 1 / 60 }),
  signupPerEmail: createRateLimiter({ capacity: 12, refillPerSecond: 1 / 30 }),
  loginPerIp: createRateLimiter({ capacity: 30, refillPerSecond: 0.5 }),
  refreshPerIp: createRateLimiter({ capacity: 60, refillPerSecond: 1 }),
  mailPerAddress: createRateLimiter({ capacity: 3, refillPerSecond: 1 / 600 }),
  tokenPerIp: createRateLimiter({ capacity: 20, refillPerSecond: 0.2 }),
  accountPerUser: createRateLimiter({ capacity: 5, refillPerSecond: 1 / 60 }),
});

export const take = (limiter: RateLimiter, key: string) => {
  const r = limiter.take(key);
  if (!r.ok) throw tooManyRequests(r.retryAfterSeconds);
};

/** Whether the budget allows one more, without answering 429 (for answers that must not vary). */
export const hasBudget = (limiter: RateLimiter, key: string) => limiter.take(key).ok;

export const ipOf = (req: Request) => req.ip ?? 'unknown';
