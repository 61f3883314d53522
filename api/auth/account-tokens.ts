/**
 * Single-use tokens mailed to a person: email verification, password reset and business invitations. Only
 * the SHA-256 is stored; spending one is an atomic claim, so two clicks on one link never both succeed.
 */
import type { AccountTokenPurpose } from '../../db/models/account.js';
import type { Models } from '../../db/models/index.js';
import { randomToken } from '../../lib/crypto.js';
import { sha256Hex } from './access-tokens.js';

export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  password_reset: 45 * 60 * 1000,
  invite: 7 * 24 * 60 * 60 * 1000,
};
const PREFIX: Record<AccountTokenPurpose, string> = { verify_email: 'lv_', password_reset: 'lp_', invite: 'li_' };
const TOKEN_PATTERN = /^l[vpi]_[A-Za-z0-9_-]{43}$/;

export type AccountTokenFacts = { email: string; userId?: string; businessId?: string; role?: 'owner' | 'member'; createdBy?: string };
export type AccountToken = AccountTokenFacts & { id: string; purpose: AccountTokenPurpose; expiresAt: Date };

const live = (purpose: AccountTokenPurpose, token: string) => ({
  _id: sha256Hex(token),
  purpose,
  usedAt: { $exists: false },
  expiresAt: { $gt: new Date() },
});

const view = (doc: {
  _id: string;
  purpose: AccountTokenPurpose;
  email: string;
  userId?: string | null;
  businessId?: string | null;
  role?: 'owner' | 'member' | null;
  createdBy?: string | null;
  expiresAt: Date;
}): AccountToken => ({
  id: doc._id,
  purpose: doc.purpose,
  email: doc.email,
  expiresAt: doc.expiresAt,
  ...(doc.userId ? { userId: doc.userId } : {}),
  ...(doc.businessId ? { businessId: doc.businessId } : {}),
  ...(doc.role ? { role: doc.role } : {}),
  ...(doc.createdBy ? { createdBy: doc.createdBy } : {}),
});

export const createAccountTokens = (models: Models) => ({
  /** A new token; the caller mails it and forgets it. `id` (the hash) is safe to use as an idempotency key. */
  async issue(purpose: AccountTokenPurpose, facts: AccountTokenFacts): Promise<{ token: string; id: string; expiresAt: Date }> {
    const token = randomToken(32, PREFIX[purpose]);
    const expiresAt = new Date(Date.now() + ACCOUNT_TOKEN_TTL_MS[purpose]);
    const id = sha256Hex(token);
    await models.AccountToken.create({ _id: id, purpose, ...facts, expiresAt });
    return { token, id, expiresAt };
  },

  /** Looks without spending: for checks that may fail and must leave the link usable (e.g. "verify your email first"). */
  async peek(purpose: AccountTokenPurpose, token: string): Promise<AccountToken | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const doc = await models.AccountToken.findOne(live(purpose, token)).lean();
    return doc ? view(doc) : null;
  },

  /** Spends the token: of two concurrent calls only one gets it back. */
  async consume(purpose: AccountTokenPurpose, token: string): Promise<AccountToken | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    // No projection: FerretDB's findAndModify does not implement `fields`.
    const doc = await models.AccountToken.findOneAndUpdate(
      live(purpose, token),
      { $set: { usedAt: new Date() } },
      { returnDocument: 'before' },
    ).lean();
    return doc ? view(doc) : null;
  },

  /** Spends every other live token of this purpose for the user (a reset done makes older reset links useless). */
  async spendAll(purpose: AccountTokenPurpose, userId: string) {
    await models.AccountToken.updateMany({ userId, purpose, usedAt: { $exists: false } }, { $set: { usedAt: new Date() } });
  },
});

export type AccountTokens = ReturnType<typeof createAccountTokens>;
