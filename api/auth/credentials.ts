/**
 * Checks an email + password behind the per email + IP backoff (login-throttle.ts). Every checked path runs
 * one scrypt, so unknown emails and wrong passwords take comparable time and give the caller the same
 * answer; a paused pair answers before any scrypt, the same way for known and unknown emails.
 */
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { FREE_FAILURES, type LoginThrottle } from './login-throttle.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';

export type CredentialCheck = { ok: true; userId: string } | { ok: false; retryAfterSeconds?: number };

export const checkCredentials = async (
  models: Models,
  throttle: LoginThrottle,
  input: { email: string; password: string; ip: string },
): Promise<CredentialCheck> => {
  const paused = await throttle.check(input.email, input.ip);
  if (!paused.ok) return { ok: false, retryAfterSeconds: paused.retryAfterSeconds };

  const user = await models.User.findOne({ email: input.email }, { passwordHash: 1 }).lean();
  const isValid = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  if (!user || !isValid) {
    const failures = await throttle.fail(input.email, input.ip);
    if (user && failures === FREE_FAILURES) {
      await writeAudit(models, { actorType: 'system', action: 'user.login_backoff', target: user._id, details: { failures } });
    }
    return { ok: false };
  }
  await throttle.succeed(input.email, input.ip);
  return { ok: true, userId: user._id };
};

/** For a logged-in user confirming who they are (password change): no backoff, the route is rate-limited per user. */
export const checkPasswordOf = async (models: Models, userId: string, password: string): Promise<boolean> => {
  const user = await models.User.findById(userId, { passwordHash: 1 }).lean();
  return user ? verifyPassword(password, user.passwordHash) : verifyAgainstDummy(password);
};
