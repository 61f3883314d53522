/**
 * Login backoff per email + IP. After FREE_FAILURES wrong attempts from one address at one account, each
 * further failure pauses that pair for 1 s, 2 s, 4 s … up to 15 minutes. Someone failing from another IP
 * never delays the right password from yours, and a correct login clears the pair. Kept in the database
 * (by a hash of email and IP, neither in clear) so every API replica sees the same count.
 */
import type { Models } from '../../db/models/index.js';
import { sha256Hex } from './access-tokens.js';

export const FREE_FAILURES = 5;
export const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** A pair that has not failed for this long starts again from zero. */
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** Pause after the n-th consecutive failure: none for the first FREE_FAILURES - 1, then doubling from 1 s. */
export const backoffMsAfter = (failures: number) =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - FREE_FAILURES, 30));

export type ThrottleCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

export const createLoginThrottle = (models: Models) => {
  const keyOf = (email: string, ip: string) => sha256Hex(`login\n${email}\n${ip}`);
  return {
    /** Is this pair paused right now? */
    async check(email: string, ip: string, now = Date.now()): Promise<ThrottleCheck> {
      const doc = await models.LoginThrottle.findById(keyOf(email, ip), { blockedUntil: 1 }).lean();
      const until = doc?.blockedUntil?.getTime() ?? 0;
      return until > now ? { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) } : { ok: true };
    },

    /** Counts one failure and returns how many in a row this pair has now. */
    async fail(email: string, ip: string, now = Date.now()): Promise<number> {
      const _id = keyOf(email, ip);
      const stale = await models.LoginThrottle.exists({ _id, lastFailureAt: { $lt: new Date(now - FORGET_AFTER_MS) } });
      if (stale) await models.LoginThrottle.deleteOne({ _id });
      // $inc is atomic: concurrent failures each count, so parallel guessing cannot slip under the threshold.
      const after = await models.LoginThrottle.findOneAndUpdate(
        { _id },
        { $inc: { failures: 1 }, $set: { lastFailureAt: new Date(now) } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      const failures = after?.failures ?? 1;
      const pause = backoffMsAfter(failures);
      if (pause > 0) await models.LoginThrottle.updateOne({ _id }, { $set: { blockedUntil: new Date(now + pause) } });
      return failures;
    },

    async succeed(email: string, ip: string) {
      await models.LoginThrottle.deleteOne({ _id: keyOf(email, ip) });
    },
  };
};

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
