/**
 * Creates a user, their first business (with a fresh publishable key and default settings) and the owner
 * membership. No transactions on FerretDB, so a failure after the user exists removes what was written.
 * The email starts unverified: the owner can use their own business, but cannot join others until verified.
 */
import { randomBytes } from 'node:crypto';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { randomToken } from '../../lib/crypto.js';
import type { Signup } from '../schemas/auth.js';
import { hashPassword } from './passwords.js';

/** `pk_` + hex: matches the widget's key pattern and is safe in HTML snippets. */
export const newPublishableKey = () => `pk_${randomBytes(18).toString('hex')}`;
export const membershipId = (businessId: string, userId: string) => `mem_${businessId}_${userId}`;

export type SignupResult = { kind: 'created'; userId: string; businessId: string } | { kind: 'email_taken' };

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

export const createAccount = async (models: Models, input: Signup): Promise<SignupResult> => {
  const userId = `usr_${randomToken(12)}`;
  const businessId = `biz_${randomToken(12)}`;
  const passwordHash = await hashPassword(input.password);
  try {
    await models.User.create({ _id: userId, email: input.email, passwordHash, name: input.name, emailVerifiedAt: null });
  } catch (err) {
    if (isDuplicateKey(err)) return { kind: 'email_taken' };
    throw err;
  }
  try {
    await models.Business.create({
      _id: businessId,
      name: input.businessName,
      publishableKey: newPublishableKey(),
      ...(input.niche ? { niche: input.niche } : {}),
      ...(input.timezone ? { timezone: input.timezone } : {}),
    });
    await models.Membership.create({ _id: membershipId(businessId, userId), userId, businessId, role: 'owner' });
  } catch (err) {
    await Promise.allSettled([
      models.Membership.deleteMany({ businessId }),
      models.Business.deleteOne({ _id: businessId }),
      models.User.deleteOne({ _id: userId }),
    ]);
    throw err;
  }
  await writeAudit(models, { actorType: 'user', actorId: userId, actorRole: 'owner', businessId, action: 'business.created' });
  return { kind: 'created', userId, businessId };
};
