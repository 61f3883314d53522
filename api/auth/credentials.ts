/**
 * Checks an email + password and applies the lock-out (10 consecutive failures → 15 minutes). Every path
 * runs one scrypt, so unknown emails, wrong passwords and locked accounts take comparable time and give the
 * caller the same answer.
 */
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../lib/audit.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';

export const LOCKOUT_AFTER_FAILURES = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;

export type CredentialCheck = { ok: true; userId: string } | { ok: false };

export const checkCredentials = async (models: Models, email: string, password: string): Promise<CredentialCheck> => {
  const user = await models.User.findOne({ email }, { passwordHash: 1, failedLogins: 1, lockedUntil: 1 }).lean();
  if (!user) return verifyAgainstDummy(password).then(() => ({ ok: false }));
  const isValid = await verifyPassword(password, user.passwordHash);
  // A locked account refuses even the right password, and failures while locked do not extend the lock.
  if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) return { ok: false };

  if (!isValid) {
    // No projection: FerretDB's findAndModify does not implement `fields`.
    const after = await models.User.findOneAndUpdate({ _id: user._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' }).lean();
    if ((after?.failedLogins ?? 0) >= LOCKOUT_AFTER_FAILURES) {
      await models.User.updateOne({ _id: user._id }, { $set: { lockedUntil: new Date(Date.now() + LOCKOUT_MS), failedLogins: 0 } });
      await writeAudit(models, { actorType: 'system', action: 'user.locked_out', target: user._id, details: { minutes: LOCKOUT_MS / 60_000 } });
    }
    return { ok: false };
  }
  if (user.failedLogins || user.lockedUntil) await models.User.updateOne({ _id: user._id }, { $set: { failedLogins: 0 }, $unset: { lockedUntil: 1 } });
  return { ok: true, userId: user._id };
};
